import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import {
  inferSequentialShapes,
  type LayerSpec,
  parseLayerSpecs,
  sequentialLimits,
} from './layer-specs.js';
import { NetworkConfigError } from './network-config-error.js';
import { SimpleConvNet } from './simple-conv-net.js';

/** The book's SimpleConvNet, written as specs (unnamed: the layers are "0" … "6"). */
const simpleConvNetAsSpecs: LayerSpec[] = [
  { type: 'conv2d', outChannels: 30, kernelSize: 5 },
  { type: 'relu' },
  { type: 'maxPool2d', kernelSize: 2 },
  { type: 'flatten' },
  { type: 'linear', outFeatures: 100 },
  { type: 'relu' },
  { type: 'linear', outFeatures: 10 },
];

describeEachBackend('inferSequentialShapes', () => {
  it('works out SimpleConvNet’s shapes, state and parameter count without building it', () => {
    const shapes = inferSequentialShapes([1, 28, 28], simpleConvNetAsSpecs);
    expect(shapes.layers.map((l) => l.outputShape)).toEqual([
      [30, 24, 24],
      [30, 24, 24],
      [30, 12, 12],
      [4320],
      [100],
      [100],
      [10],
    ]);
    expect(shapes.layers.map((l) => `${l.name} ${l.typeName}`)).toEqual([
      '0 Conv2d',
      '1 ReLU',
      '2 MaxPool2d',
      '3 Flatten',
      '4 Linear',
      '5 ReLU',
      '6 Linear',
    ]);
    expect(shapes.layers[4]!.inputShape).toEqual([4320]);
    expect(shapes.state).toEqual({
      '0.weight': [30, 1, 5, 5],
      '0.bias': [30],
      '4.weight': [100, 4320],
      '4.bias': [100],
      '6.weight': [10, 100],
      '6.bias': [10],
    });
    expect(shapes.layers[0]!.state).toEqual({ '0.weight': [30, 1, 5, 5], '0.bias': [30] });
    // 30·25 + 30, 4320·100 + 100, 100·10 + 10
    expect(shapes.layers.map((l) => l.parameterCount)).toEqual([780, 0, 0, 0, 432_100, 0, 1010]);
    expect(shapes.parameterCount).toBe(433_890);
    expect(shapes.parameterCount).toBe(new SimpleConvNet().parameterCount());
    expect(shapes.outputShape).toEqual([10]);
  });

  it('follows stride, padding, [height, width] pairs and the pools’ default stride', () => {
    const shapes = inferSequentialShapes(
      [3, 32, 20],
      [
        { type: 'conv2d', outChannels: 8, kernelSize: [5, 3], stride: [2, 1], padding: [2, 0] },
        { type: 'avgPool2d', kernelSize: 3, stride: 1, padding: 1 },
        { type: 'maxPool2d', kernelSize: [2, 3] },
      ],
    );
    // (32 + 4 − 5)/2 + 1 = 16, (20 − 3)/1 + 1 = 18; the 3×3 avg pool with padding 1 keeps them;
    // 16/2 = 8, 18/3 = 6.
    expect(shapes.layers.map((l) => l.outputShape)).toEqual([
      [8, 16, 18],
      [8, 16, 18],
      [8, 8, 6],
    ]);
    expect(shapes.state['0.weight']).toEqual([8, 3, 5, 3]);
  });

  it('picks BatchNorm2d after an image and BatchNorm1d after features or [C, L]', () => {
    const image = inferSequentialShapes(
      [3, 8, 8],
      [
        { type: 'conv2d', outChannels: 4, kernelSize: 3 },
        { type: 'batchNorm', name: 'bn' },
      ],
    );
    expect(image.layers[1]).toMatchObject({ typeName: 'BatchNorm2d', outputShape: [4, 6, 6] });
    expect(image.layers[1]!.state).toEqual({
      'bn.weight': [4],
      'bn.bias': [4],
      'bn.running_mean': [4],
      'bn.running_var': [4],
      'bn.num_batches_tracked': [],
    });
    expect(image.layers[1]!.parameterCount).toBe(8); // γ and β; the running statistics are buffers
    const flat = inferSequentialShapes(
      [5],
      [{ type: 'linear', outFeatures: 7 }, { type: 'batchNorm' }],
    );
    expect(flat.layers[1]).toMatchObject({ typeName: 'BatchNorm1d', outputShape: [7] });
    expect(flat.state['1.running_var']).toEqual([7]);
    const sequence = inferSequentialShapes([6, 10], [{ type: 'batchNorm', affine: false }]);
    expect(sequence.layers[0]).toMatchObject({ typeName: 'BatchNorm1d', parameterCount: 0 });
    expect(Object.keys(sequence.state)).toEqual([
      '0.running_mean',
      '0.running_var',
      '0.num_batches_tracked',
    ]);
  });

  it('leaves bias out when a layer has none', () => {
    const shapes = inferSequentialShapes(
      [2, 4, 4],
      [
        { type: 'conv2d', outChannels: 3, kernelSize: 1, bias: false },
        { type: 'flatten' },
        { type: 'linear', outFeatures: 2, bias: false },
      ],
    );
    expect(Object.keys(shapes.state)).toEqual(['0.weight', '2.weight']);
    expect(shapes.parameterCount).toBe(6 + 96);
  });

  it('refuses a layer that does not fit the shape before it, naming index, name and type', () => {
    const bad: [number[], LayerSpec[], string][] = [
      [
        [1, 28, 28],
        [
          { type: 'conv2d', outChannels: 30, kernelSize: 5 },
          { type: 'relu' },
          { type: 'maxPool2d', kernelSize: 2 },
          { type: 'linear', name: 'fc1', outFeatures: 100 },
        ],
        'sequential: layer 3 "fc1" (linear): expects a flat input but gets [30, 12, 12]: add { "type": "flatten" } before it',
      ],
      [
        [784],
        [{ type: 'conv2d', outChannels: 4, kernelSize: 3 }],
        'sequential: layer 0 (conv2d): expects an image input [channels, height, width] but gets [784]',
      ],
      [
        [1, 4, 4],
        [{ type: 'conv2d', name: 'big', outChannels: 4, kernelSize: 7, padding: 1 }],
        'sequential: layer 0 "big" (conv2d): the convolution output size comes out as 0×0 (input 4×4, kernel 7×7, stride 1×1, padding 1×1): the input is too small',
      ],
      [
        [1, 5, 5],
        [
          { type: 'maxPool2d', kernelSize: 2 },
          { type: 'avgPool2d', kernelSize: 3 },
        ],
        'sequential: layer 1 (avgPool2d): the pooling output size comes out as 0×0 (input 2×2, kernel 3×3, stride 3×3, padding 0×0): the input is too small',
      ],
      [
        [1, 5, 5],
        [{ type: 'maxPool2d', kernelSize: 2, padding: 2 }],
        'sequential: layer 0 (maxPool2d): padding 2×2 is more than half the kernel 2×2',
      ],
    ];
    for (const [input, specs, message] of bad) {
      expect(() => inferSequentialShapes(input, specs)).toThrow(NetworkConfigError);
      expect(() => inferSequentialShapes(input, specs)).toThrow(message);
    }
  });

  it('refuses an input shape that is not 1 to 3 sizes', () => {
    for (const input of [[], [0, 28, 28], [1, 2, 3, 4], [2.5], 'abc', [Number.NaN], [2 ** 21]]) {
      expect(() => inferSequentialShapes(input as number[], []), JSON.stringify(input)).toThrow(
        /^sequential: "inputShape" is .*, expected 1 to 3 integers from 1 to 1,048,576/,
      );
    }
  });

  it('refuses, before allocating anything, a network past the size limits', () => {
    expect(() => inferSequentialShapes([4096, 4096, 4], [])).toThrow(
      'sequential: the input [4096, 4096, 4] has 67,108,864 values per sample, more than the limit of 16,777,216',
    );
    expect(() =>
      inferSequentialShapes(
        [1, 1024, 1024],
        [
          { type: 'maxPool2d', kernelSize: 2 },
          { type: 'conv2d', name: 'wide', outChannels: 100, kernelSize: 1 },
        ],
      ),
    ).toThrow(
      'sequential: layer 1 "wide" (conv2d): its output [100, 512, 512] has 26,214,400 values per sample, more than the limit of 16,777,216',
    );
    expect(() =>
      inferSequentialShapes(
        [10_000],
        [
          { type: 'linear', outFeatures: 5000 },
          { type: 'linear', outFeatures: 10_000 },
        ],
      ),
    ).toThrow(
      'sequential: layer 1 (linear): the layers up to here hold 100,015,000 values, more than the limit of 67,108,864',
    );
    expect(sequentialLimits.stateValues * 4).toBe(256 * 2 ** 20); // 256 MiB of float32
    const many = Array.from({ length: sequentialLimits.layers + 1 }, () => ({ type: 'relu' }));
    expect(() => inferSequentialShapes([1], many as LayerSpec[])).toThrow(
      'sequential: 100,001 layers, more than the limit of 100,000',
    );
  });

  it('checks specs written in TypeScript too (NaN, fractions)', () => {
    expect(() =>
      inferSequentialShapes([4], [{ type: 'linear', outFeatures: Number.NaN }], {
        source: 'my-net',
      }),
    ).toThrow('my-net: layer 0 (linear): "outFeatures" is NaN, expected an integer from 1 to');
    // The source alone may be given as a string.
    expect(() =>
      inferSequentialShapes([4], [{ type: 'flatten' }, { type: 'relu', name: 'a.b' }], 'net'),
    ).toThrow('net: layer 1 "a.b" (relu): "name" is "a.b"');
    expect(() => inferSequentialShapes([4], [{ type: 'dropout', p: 1 }])).toThrow(
      'sequential: layer 0 (dropout): "p" is 1, expected a number in [0, 1)',
    );
  });
});

describeEachBackend('parseLayerSpecs', () => {
  it('returns clean copies of valid specs, with only the fields given', () => {
    const json = JSON.parse(
      JSON.stringify([
        {
          type: 'conv2d',
          name: 'conv1',
          outChannels: 8,
          kernelSize: [3, 5],
          padding: 1,
          init: 'he',
        },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'dropout', p: 0, style: 'book' },
        {
          type: 'batchNorm',
          eps: 1e-6,
          momentum: 0.1,
          unbiasedRunningVar: false,
          initialRunningVar: 0,
        },
        { type: 'flatten' },
        { type: 'linear', outFeatures: 10, init: { std: 0.01 }, bias: false },
      ]),
    );
    const specs = parseLayerSpecs(json);
    expect(specs).toEqual(json);
    expect(specs[0]).not.toBe(json[0]);
    json[0].kernelSize[0] = 99;
    expect(specs[0]).toMatchObject({ kernelSize: [3, 5] });
    // An undefined field (from TypeScript) is dropped, so the config's JSON is the same.
    expect(parseLayerSpecs([{ type: 'relu', name: undefined }])).toEqual([{ type: 'relu' }]);
  });

  it('names the index, name, type and field of every bad spec', () => {
    const bad: [unknown, string][] = [
      [
        { type: 'conv' },
        'layer 0: unknown type "conv" (known: conv2d, maxPool2d, avgPool2d, linear,',
      ],
      [{ outFeatures: 3 }, 'layer 0: no "type" (known: conv2d,'],
      ['relu', 'layer 0: expected an object like { "type": "relu" }, got "relu"'],
      [null, 'layer 0: expected an object like { "type": "relu" }, got null'],
      [
        { type: 'conv2d', outChannels: 4, kernel_size: 3 },
        'layer 0 (conv2d): unknown field "kernel_size" (conv2d takes "name", "outChannels", "kernelSize", "stride", "padding", "bias", "init")',
      ],
      [
        { type: 'conv2d', outChannels: 4, kernelSize: 0 },
        'layer 0 (conv2d): "kernelSize" is 0, expected an integer from 1 to 1,048,576, or [height, width] of them',
      ],
      [
        { type: 'conv2d', outChannels: 4, kernelSize: '5' },
        '"kernelSize" is "5", expected an integer',
      ],
      [{ type: 'conv2d', outChannels: 4, kernelSize: 2.5 }, '"kernelSize" is 2.5, expected'],
      [{ type: 'conv2d', outChannels: 4, kernelSize: [3] }, '"kernelSize" is [3], expected'],
      [{ type: 'conv2d', outChannels: 4, kernelSize: 1e300 }, '"kernelSize" is 1e+300, expected'],
      [{ type: 'conv2d', kernelSize: 3 }, 'layer 0 (conv2d): "outChannels" is missing, expected'],
      [
        { type: 'conv2d', outChannels: 4, kernelSize: 3, padding: -1 },
        '"padding" is -1, expected an integer from 0 to 1,048,576, or [height, width] of them',
      ],
      [
        { type: 'maxPool2d', name: 'pool', kernelSize: 2, stride: 0 },
        'layer 0 "pool" (maxPool2d): "stride" is 0, expected an integer from 1',
      ],
      [{ type: 'dropout', p: 1.5 }, 'layer 0 (dropout): "p" is 1.5, expected a number in [0, 1)'],
      [{ type: 'dropout', p: -0.1 }, '"p" is -0.1, expected a number in [0, 1)'],
      [{ type: 'dropout', p: '0.5' }, '"p" is "0.5", expected a number in [0, 1)'],
      [{ type: 'dropout' }, '"p" is missing, expected a number in [0, 1)'],
      [
        { type: 'dropout', p: 0.5, style: 'keras' },
        '"style" is "keras", expected "inverted" or "book"',
      ],
      [{ type: 'linear', outFeatures: 3, bias: 'yes' }, '"bias" is "yes", expected true or false'],
      [
        { type: 'linear', outFeatures: 3, init: 'glorot' },
        '"init" is "glorot", expected "he", "xavier"',
      ],
      [{ type: 'linear', outFeatures: 3, init: { std: -1 } }, '"init" is {"std":-1}, expected'],
      [
        { type: 'linear', outFeatures: 3, init: { std: 0.1, mean: 0 } },
        '"init" is {"std":0.1,"mean":0}',
      ],
      [{ type: 'batchNorm', eps: 0 }, 'layer 0 (batchNorm): "eps" is 0, expected a number > 0'],
      [{ type: 'batchNorm', momentum: 2 }, '"momentum" is 2, expected a number in [0, 1]'],
      [
        { type: 'batchNorm', initialRunningVar: -1 },
        '"initialRunningVar" is -1, expected a number ≥ 0',
      ],
      [
        { type: 'relu', name: 'a.b' },
        'layer 0 "a.b" (relu): "name" is "a.b", expected 1 to 64 letters',
      ],
      [{ type: 'relu', name: '' }, '"name" is "", expected 1 to 64 letters, digits, "_" or "-"'],
      [{ type: 'relu', name: 5 }, 'layer 0 (relu): "name" is 5, expected 1 to 64'],
    ];
    for (const [spec, message] of bad) {
      const parse = () => parseLayerSpecs([spec], 'net.json');
      expect(parse, JSON.stringify(spec)).toThrow(NetworkConfigError);
      expect(parse).toThrow(/^net\.json: layer 0\b/);
      expect(parse).toThrow(message);
    }
  });

  it('finds the bad layer among good ones, and two layers with one name', () => {
    expect(() =>
      parseLayerSpecs([
        { type: 'relu' },
        { type: 'tanh' },
        { type: 'linear', name: 'fc', outFeatures: -2 },
      ]),
    ).toThrow('layers: layer 2 "fc" (linear): "outFeatures" is -2');
    expect(() =>
      parseLayerSpecs([
        { type: 'linear', name: 'fc', outFeatures: 2 },
        { type: 'linear', name: 'fc', outFeatures: 2 },
      ]),
    ).toThrow('layers: layer 1 "fc" (linear): the name "fc" is already layer 0\'s');
    // An unnamed layer is named by its index, so "1" is taken by the second layer.
    expect(() => parseLayerSpecs([{ type: 'relu', name: '1' }, { type: 'relu' }])).toThrow(
      'layers: layer 1 (relu): the name "1" is already layer 0\'s (an unnamed layer is named by its index)',
    );
  });

  it('refuses what is not a list', () => {
    expect(() => parseLayerSpecs({ type: 'relu' }, 'https://example.com/net.json')).toThrow(
      'https://example.com/net.json: expected a list of layer specs, got {"type":"relu"}',
    );
    expect(() => parseLayerSpecs(undefined)).toThrow(
      'layers: expected a list of layer specs, got missing',
    );
  });
});
