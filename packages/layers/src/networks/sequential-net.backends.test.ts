import {
  manualSeed,
  noGrad,
  RandomGenerator,
  randn,
  ShapeError,
  type Tensor,
  zeros,
} from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import type { Module } from '../module.js';
import { loadFixture } from '../testing/golden.js';
import { createNetwork } from './create-network.js';
import { DeepConvNet, deepConvNetSpecs } from './deep-conv-net.js';
import type { LayerSpec } from './layer-specs.js';
import { MultiLayerNet, multiLayerNetSpecs } from './multi-layer-net.js';
import type { Network, NetworkConfig } from './network.js';
import { SequentialNet } from './sequential-net.js';
import { SimpleConvNet, simpleConvNetSpecs } from './simple-conv-net.js';
import { NetworkConfigError, networkStateShapes } from './state-shapes.js';

const shapesOf = (module: Module) =>
  Object.fromEntries(Object.entries(module.stateDict()).map(([name, t]) => [name, [...t.shape]]));

/** Runs both networks on `x` in evaluation mode (or training mode) without recording gradients. */
function outputs(
  a: Network,
  b: Network,
  x: Tensor,
  training = false,
): [Float32Array, Float32Array] {
  a.train(training);
  b.train(training);
  return noGrad(() => [a.forward(x).dataSync(), b.forward(x).dataSync()]);
}

const mixed: SequentialNetOptions = {
  inputShape: [2, 9, 9],
  layers: [
    { type: 'conv2d', name: 'conv1', outChannels: 3, kernelSize: 3, padding: 1, init: 'he' },
    { type: 'batchNorm', name: 'bn1' },
    { type: 'tanh' },
    { type: 'avgPool2d', kernelSize: 2 },
    { type: 'conv2d', outChannels: 4, kernelSize: [2, 3], stride: [1, 2], bias: false },
    { type: 'sigmoid' },
    { type: 'flatten' },
    { type: 'dropout', p: 0.3 },
    { type: 'linear', name: 'fc1', outFeatures: 6, init: { std: 0.1 } },
    { type: 'batchNorm', name: 'bn2', affine: false },
    { type: 'relu' },
    { type: 'linear', name: 'out', outFeatures: 3 },
  ],
};
type SequentialNetOptions = ConstructorParameters<typeof SequentialNet>[0];

describeEachBackend('SequentialNet', () => {
  it('with SimpleConvNet’s weights (as unnamed specs) gives exactly SimpleConvNet’s output', () => {
    manualSeed(21);
    const book = new SimpleConvNet();
    const net = new SequentialNet({
      inputShape: [1, 28, 28],
      layers: [
        { type: 'conv2d', outChannels: 30, kernelSize: 5 },
        { type: 'relu' },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'flatten' },
        { type: 'linear', outFeatures: 100 },
        { type: 'relu' },
        { type: 'linear', outFeatures: 10 },
      ],
    });
    expect(net.parameterCount()).toBe(book.parameterCount());
    // Same tensors in the same order, under PyTorch nn.Sequential's names "0", "4", "6".
    const bookState = Object.values(book.stateDict());
    const names = Object.keys(net.stateDict());
    expect(names).toEqual(['0.weight', '0.bias', '4.weight', '4.bias', '6.weight', '6.bias']);
    net.loadStateDict(Object.fromEntries(names.map((name, i) => [name, bookState[i]!])));
    const x = randn([4, 1, 28, 28]);
    const [ours, theirs] = outputs(net, book, x);
    expect(ours).toEqual(theirs);
    expect(ours.some((v) => v !== 0)).toBe(true);
  });

  it('built from the book networks’ own specs has their state dict and their outputs', () => {
    manualSeed(22);
    const cases: [Network, LayerSpec[], number[], boolean][] = [
      [
        new SimpleConvNet({ hiddenSize: 12 }),
        simpleConvNetSpecs({ hiddenSize: 12 }),
        [1, 28, 28],
        false,
      ],
      [new DeepConvNet(), deepConvNetSpecs(), [1, 28, 28], false],
      // Training mode: batch statistics, so the specs must carry the book's batch-norm ε too.
      [
        new MultiLayerNet({ inputSize: 6, hiddenSizeList: [5, 4], useBatchnorm: true }),
        multiLayerNetSpecs({ hiddenSizeList: [5, 4], useBatchnorm: true }),
        [6],
        true,
      ],
      [
        new MultiLayerNet({
          inputSize: 6,
          hiddenSizeList: [5],
          useDropout: true,
          dropoutRatio: 0.25,
        }),
        multiLayerNetSpecs({ hiddenSizeList: [5], useDropout: true, dropoutRatio: 0.25 }),
        [6],
        false,
      ],
    ];
    for (const [book, layers, inputShape, training] of cases) {
      const net = new SequentialNet({ inputShape, layers });
      expect(shapesOf(net), book.typeName).toEqual(shapesOf(book));
      net.loadStateDict(book.stateDict());
      const x = randn([3, ...inputShape]);
      const [ours, theirs] = outputs(net, book, x, training);
      expect(ours, book.typeName).toEqual(theirs);
    }
  });

  it('names its layers by spec name or index, so its state dict maps 1:1 to PyTorch’s', () => {
    const { cases } = loadFixture<{
      cases: { input: number[]; state: [string, number[]][] }[];
    }>('state-names.json');
    const torch = cases[0]!;
    // nn.Sequential(Conv2d(1, 2, 3), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(),
    //   Linear(8, 4), BatchNorm1d(4), Dropout(0.5), Linear(4, 3))
    const net = new SequentialNet({
      inputShape: torch.input.slice(1),
      layers: [
        { type: 'conv2d', outChannels: 2, kernelSize: 3 },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'flatten' },
        { type: 'linear', outFeatures: 4 },
        { type: 'batchNorm' },
        { type: 'dropout', p: 0.5 },
        { type: 'linear', outFeatures: 3 },
      ],
    });
    expect(Object.entries(shapesOf(net))).toEqual(torch.state);
    expect(net.forward(randn(torch.input)).shape).toEqual([2, 3]);
  });

  it('builds what the inference and networkStateShapes say, layer by layer', () => {
    const net = new SequentialNet(mixed);
    const config = JSON.parse(JSON.stringify(net.config)) as NetworkConfig;
    expect(networkStateShapes(config)).toEqual(shapesOf(net));
    expect(Object.keys(networkStateShapes(config))).toEqual(Object.keys(net.stateDict()));
    expect(net.shapes.parameterCount).toBe(net.parameterCount());
    const names = net.namedChildren().map(([name]) => name);
    expect(names).toEqual([
      'conv1',
      'bn1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      'fc1',
      'bn2',
      '10',
      'out',
    ]);
    net.layers.forEach((layer, i) => {
      const inferred = net.shapes.layers[i]!;
      expect(layer.typeName, inferred.name).toBe(inferred.typeName);
      expect(layer.parameterCount(), inferred.name).toBe(inferred.parameterCount);
    });
    expect(net.shapes.layers[1]!.typeName).toBe('BatchNorm2d');
    expect(net.shapes.layers[9]!.typeName).toBe('BatchNorm1d');
    // Every layer's output shape is what runs.
    const seen: number[][] = [];
    net.eval();
    for (const layer of net.layers)
      layer.registerForwardHook((_m, _x, y) => seen.push(y.shape.slice(1)));
    noGrad(() => net.forward(randn([2, 2, 9, 9])));
    expect(seen).toEqual(net.shapes.layers.map((l) => l.outputShape));
    expect(net.layer('fc1')).toBe(net.layers[8]);
    expect(net.layer('7')?.typeName).toBe('Dropout');
    expect(net.layer('nope')).toBeUndefined();
  });

  it('round-trips through createNetwork and JSON, weights included', () => {
    manualSeed(23);
    const net = new SequentialNet(mixed);
    const text = JSON.stringify(net.config);
    const rebuilt = createNetwork(JSON.parse(text));
    expect(rebuilt).toBeInstanceOf(SequentialNet);
    expect(JSON.stringify(rebuilt.config)).toBe(text);
    expect(rebuilt.config).toEqual({ architecture: 'sequential', ...mixed });
    rebuilt.loadStateDict(net.stateDict());
    const [a, b] = outputs(rebuilt, net, randn([2, 2, 9, 9]));
    expect(a).toEqual(b);
  });

  it('refuses a bad config from createNetwork before allocating, naming the layer', () => {
    expect(() => createNetwork({ architecture: 'sequential' })).toThrow(
      'sequential: "inputShape" is missing, expected 1 to 3 integers',
    );
    expect(() =>
      createNetwork({
        architecture: 'sequential',
        inputShape: [1, 28, 28],
        layers: [
          { type: 'conv2d', outChannels: 4, kernelSize: 5 },
          { type: 'linear', outFeatures: 10 },
        ],
      }),
    ).toThrow(NetworkConfigError);
  });

  it('dropout is the identity in evaluation mode (inverted style) and drops while training', () => {
    const net = new SequentialNet(
      { inputShape: [1000], layers: [{ type: 'dropout', p: 0.5 }] },
      { generator: new RandomGenerator(4) },
    );
    const x = randn([2, 1000]);
    net.eval();
    expect(net.forward(x).dataSync()).toEqual(x.dataSync());
    net.train();
    const dropped = net.forward(x).dataSync();
    const zeros = dropped.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(800);
    expect(zeros).toBeLessThan(1200);
    const kept = dropped.findIndex((v) => v !== 0);
    expect(dropped[kept]).toBeCloseTo(2 * x.dataSync()[kept]!, 5);
  });

  it('draws its weights from the generator it is given', () => {
    const build = () =>
      new SequentialNet(
        { inputShape: [3], layers: [{ type: 'linear', outFeatures: 2 }] },
        { generator: new RandomGenerator(9) },
      );
    expect(build().stateDict()['0.weight']!.dataSync()).toEqual(
      build().stateDict()['0.weight']!.dataSync(),
    );
  });

  it('checks its input like the book’s networks, naming its first layer', () => {
    const net = new SequentialNet({
      inputShape: [1, 28, 28],
      layers: [{ type: 'conv2d', name: 'conv1', outChannels: 2, kernelSize: 3 }],
    });
    expect(() => net.forward(zeros([2, 3, 32, 32]))).toThrow(ShapeError);
    expect(() => net.forward(zeros([2, 3, 32, 32]))).toThrow(
      "SequentialNet: input [2, 3, 32, 32] does not fit this network's input [batch ≥ 1, 1, 28, 28]; its first layer is conv1 (Conv2d)",
    );
  });

  it('summary() names layers by spec name and shows their output shapes', () => {
    const net = new SequentialNet({
      inputShape: [1, 28, 28],
      layers: [
        { type: 'conv2d', name: 'conv1', outChannels: 8, kernelSize: 5 },
        { type: 'relu' },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'flatten' },
        { type: 'linear', name: 'fc', outFeatures: 10 },
      ],
    });
    expect(net.summary()).toBe(
      [
        'SequentialNet, input [1, 1, 28, 28]',
        '───────────────────────────────────────',
        'Layer (type)    Output shape    Param #',
        '───────────────────────────────────────',
        'conv1 (Conv2d)  [1, 8, 24, 24]      208',
        '1 (ReLU)        [1, 8, 24, 24]        0',
        '2 (MaxPool2d)   [1, 8, 12, 12]        0',
        '3 (Flatten)     [1, 1152]             0',
        'fc (Linear)     [1, 10]          11,530',
        '───────────────────────────────────────',
        'Total params: 11,738',
      ].join('\n'),
    );
  });
});
