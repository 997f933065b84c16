import { manualSeed, randn, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { createNetwork } from './create-network.js';
import { DeepConvNet } from './deep-conv-net.js';
import { MultiLayerNet } from './multi-layer-net.js';
import { SimpleConvNet } from './simple-conv-net.js';

describeEachBackend('the book’s networks', () => {
  it('SimpleConvNet has 433,890 parameters and PyTorch’s state names', () => {
    const net = new SimpleConvNet();
    expect(net.parameterCount()).toBe(433_890);
    expect(Object.keys(net.stateDict())).toEqual([
      'conv1.weight',
      'conv1.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    expect(net.fc1.weight.shape).toEqual([100, 4320]);
  });

  it('DeepConvNet has 123,552 parameters and the book’s spatial sizes 28 → 14 → 8 → 4', () => {
    const net = new DeepConvNet();
    expect(net.parameterCount()).toBe(123_552);
    const summary = net.summary([2, 1, 28, 28]);
    expect(summary).toContain('conv4 (Conv2d)');
    expect(summary).toMatch(/pool1 \(MaxPool2d\)\s+\[2, 16, 14, 14\]/);
    expect(summary).toMatch(/pool2 \(MaxPool2d\)\s+\[2, 32, 8, 8\]/);
    expect(summary).toMatch(/pool3 \(MaxPool2d\)\s+\[2, 64, 4, 4\]/);
    expect(summary).toContain('Total params: 123,552');
  });

  it('SimpleConvNet takes an option given as undefined as its default, as the book’s keyword defaults', () => {
    const net = new SimpleConvNet({
      hiddenSize: undefined,
      filterNum: 4,
      weightInitStd: undefined,
    });
    expect(net.config).toMatchObject({ hiddenSize: 100, filterNum: 4, weightInitStd: 0.01 });
    expect(net.fc1.weight.shape).toEqual([100, 4 * 12 * 12]);
  });

  it('SimpleConvNet sizes fc1 from both sides of a non-square input, and runs on it', () => {
    // 28×20 → conv 3×3 → 26×18 → pool → 13×9: 30·13·9 = 3510 (not 30·13·13 from the height).
    const net = new SimpleConvNet({ inputDim: [1, 28, 20], filterSize: 3, hiddenSize: 4 });
    expect(net.fc1.weight.shape).toEqual([4, 3510]);
    expect(net.forward(randn([2, 1, 28, 20])).shape).toEqual([2, 10]);
  });

  it('initialises as the book: SimpleConvNet std 0.01, DeepConvNet He, zero biases', () => {
    manualSeed(3);
    const simple = new SimpleConvNet();
    const std = (t: { dataSync(): Float32Array }) => {
      const v = t.dataSync();
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    };
    expect(std(simple.fc1.weight)).toBeCloseTo(0.01, 3);
    expect(simple.fc1.bias!.dataSync().every((b) => b === 0)).toBe(true);
    const deep = new DeepConvNet();
    expect(std(deep.conv3.weight) / Math.sqrt(2 / (16 * 9))).toBeCloseTo(1, 1);
  });

  it('MultiLayerNet names fc1…fcN and adds ½λΣW² to the loss', () => {
    manualSeed(1);
    const net = new MultiLayerNet({
      inputSize: 4,
      hiddenSizeList: [3],
      outputSize: 2,
      weightDecayLambda: 0.1,
    });
    expect(Object.keys(net.stateDict())).toEqual([
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    const x = randn([5, 4]);
    const labels = [0, 1, 1, 0, 1];
    const plain = new MultiLayerNet({ inputSize: 4, hiddenSizeList: [3], outputSize: 2 });
    plain.loadStateDict(net.stateDict());
    const squares = net.affineLayers.map((fc) => fc.weight.square().sum().item());
    const penalty = 0.5 * 0.1 * (squares[0]! + squares[1]!);
    expect(net.loss(x, labels).item()).toBeCloseTo(plain.loss(x, labels).item() + penalty, 5);
  });

  it('createNetwork rebuilds each architecture from its config', () => {
    for (const net of [
      new SimpleConvNet({ hiddenSize: 20 }),
      new DeepConvNet(),
      new MultiLayerNet({ useBatchnorm: true }),
    ]) {
      const rebuilt = createNetwork(JSON.parse(JSON.stringify(net.config)));
      expect(rebuilt.constructor).toBe(net.constructor);
      expect(rebuilt.parameterCount()).toBe(net.parameterCount());
    }
    expect(() => createNetwork({ architecture: 'resnet' })).toThrow(
      /unknown architecture "resnet"/,
    );
  });

  it('SimpleConvNet overfits 100 fixed samples to 100% training accuracy', async () => {
    const { Adam } = await import('@scratchnet/optimizers');
    manualSeed(0);
    // 100 random 28×28 images with random labels: only memorisation can fit them.
    const x = randn([100, 1, 28, 28]);
    const labels = Array.from({ length: 100 }, (_, i) => (i * 7) % 10);
    const net = new SimpleConvNet();
    const optimizer = new Adam(net.parameters(), { lr: 0.001 });
    let accuracy = 0;
    for (let step = 0; step < 60 && accuracy < 1; step++) {
      optimizer.zeroGrad();
      net.loss(x, labels).backward();
      optimizer.step();
      if (step % 10 === 9) accuracy = net.accuracy(x, labels);
    }
    expect(accuracy).toBe(1);
  });
});

describeEachBackend('stateDict', () => {
  it('round-trips into a fresh model with identical outputs', () => {
    manualSeed(11);
    const a = new SimpleConvNet({ hiddenSize: 16 });
    const b = new SimpleConvNet({ hiddenSize: 16 });
    const x = randn([3, 1, 28, 28]);
    expect(b.forward(x).dataSync()).not.toEqual(a.forward(x).dataSync());
    b.loadStateDict(a.stateDict());
    expect(b.forward(x).dataSync()).toEqual(a.forward(x).dataSync());
  });

  it('names the tensor whose shape is wrong, and missing or unexpected names', () => {
    const net = new SimpleConvNet();
    const state = net.stateDict();
    expect(() => net.loadStateDict({ ...state, 'fc1.weight': tensor([1, 2]) })).toThrow(
      /tensor "fc1.weight" has shape \[2\], but the model expects \[100, 4320\]/,
    );
    const { 'fc2.bias': _, ...missing } = state;
    expect(() => net.loadStateDict(missing)).toThrow(/missing tensor "fc2.bias"/);
    expect(() => net.loadStateDict({ ...state, extra: tensor([1]) })).toThrow(
      /unexpected tensor "extra"/,
    );
  });
});
