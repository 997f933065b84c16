import { manualSeed, ones, ShapeError, zeros } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { beforeAll, expect, it } from 'vitest';
import { ReLU } from '../activations.js';
import { Conv2d } from '../conv2d.js';
import { Linear } from '../linear.js';
import { MaxPool2d } from '../pooling.js';
import { Sequential } from '../sequential.js';
import { DeepConvNet } from './deep-conv-net.js';
import { MultiLayerNet } from './multi-layer-net.js';
import { SimpleConvNet } from './simple-conv-net.js';

/** Wrong input at the public API fails with the layer's name and both shapes, or the bad value. */
describeEachBackend('wrong input names the layer and both shapes', () => {
  beforeAll(() => manualSeed(1));

  it('a 3×32×32 image into an MNIST network', () => {
    const x = zeros([2, 3, 32, 32]);
    expect(() => new SimpleConvNet().forward(x)).toThrow(ShapeError);
    expect(() => new SimpleConvNet().forward(x)).toThrow(
      "SimpleConvNet: input [2, 3, 32, 32] does not fit this network's input [batch ≥ 1, 1, 28, 28]; its first layer is conv1 (Conv2d)",
    );
    expect(() => new DeepConvNet().forward(x)).toThrow(
      "DeepConvNet: input [2, 3, 32, 32] does not fit this network's input [batch ≥ 1, 1, 28, 28]; its first layer is conv1 (Conv2d)",
    );
    expect(() => new MultiLayerNet({ hiddenSizeList: [5] }).forward(x)).toThrow(
      "MultiLayerNet: input [2, 3, 32, 32] does not fit this network's input [batch ≥ 1, 784]; its first layer is fc1 (Linear)",
    );
    // The MLP flattens images of the right size itself.
    expect(new MultiLayerNet({ hiddenSizeList: [5] }).forward(zeros([2, 1, 28, 28])).shape).toEqual(
      [2, 10],
    );
  });

  it('a batch of zero', () => {
    expect(() => new SimpleConvNet().forward(zeros([0, 1, 28, 28]))).toThrow(
      "SimpleConvNet: the batch is empty: input [0, 1, 28, 28] does not fit this network's input [batch ≥ 1, 1, 28, 28]",
    );
    expect(() => new Linear(4, 2).forward(zeros([0, 4]))).toThrow(
      'Linear: input [0, 4] has an empty batch; this layer (4 → 2) expects [batch ≥ 1, 4]',
    );
    expect(() => new Conv2d(1, 2, 3).forward(zeros([0, 1, 5, 5]))).toThrow(
      'Conv2d: input [0, 1, 5, 5] has an empty batch',
    );
  });

  it('labels out of range, or too few, name the network and the value', () => {
    const network = new MultiLayerNet({ inputSize: 4, hiddenSizeList: [3], outputSize: 3 });
    const x = ones([2, 4]);
    expect(() => network.loss(x, [0, 12])).toThrow(RangeError);
    expect(() => network.loss(x, [0, 12])).toThrow(
      'MultiLayerNet.loss: oneHot: label 12 at index 1 is not a class index in [0, 3)',
    );
    expect(() => network.loss(x, [0, 1.5])).toThrow(/label 1.5 at index 1/);
    expect(() => network.loss(x, [0])).toThrow(
      'MultiLayerNet.loss: softmaxCrossEntropy: 1 labels for a batch of 2',
    );
  });

  it('layers inside a network or Sequential are named by their place in it', () => {
    const model = new Sequential(
      new Conv2d(1, 4, 3),
      new ReLU(),
      new MaxPool2d(2),
      new Sequential(new Linear(100, 10)),
    );
    expect(() => model.forward(zeros([1, 1, 12, 12]))).toThrow(
      '3.0 (Linear): input [1, 4, 5, 5] has 5 features; this layer (100 → 10) expects [batch ≥ 1, 100]',
    );
    expect(() => model.forward(zeros([1, 2, 12, 12]))).toThrow(
      '0 (Conv2d): input [1, 2, 12, 12] has 2 input channels; this layer (3×3 filters, 1 → 4 channels) expects [batch ≥ 1, 1, height, width]',
    );
    // An op's own ShapeError gets the layer's name in front.
    expect(() => model.forward(zeros([1, 1, 2, 2]))).toThrow(
      /^0 \(Conv2d\): conv2d: kernel 3×3 is larger/,
    );
    const pool = new Sequential(new MaxPool2d(4));
    expect(() => pool.forward(zeros([1, 1, 2, 2]))).toThrow(
      /^0 \(MaxPool2d\): maxPool2d: kernel 4×4/,
    );
    // A network's layers have their attribute names.
    const net = new SimpleConvNet();
    net.forward(zeros([1, 1, 28, 28]));
    expect(net.fc1.label).toBe('fc1 (Linear)');
    expect(() => net.fc1.forward(zeros([1, 7]))).toThrow(
      'fc1 (Linear): input [1, 7] has 7 features; this layer (4320 → 100) expects [batch ≥ 1, 4320]',
    );
  });
});
