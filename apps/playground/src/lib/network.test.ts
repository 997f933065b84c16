import { createNetwork, SequentialNet, SimpleConvNet } from '@scratchnet/layers';
import { MODEL_METADATA, saveModel, tensorsToSafetensors } from '@scratchnet/serialization';
import { manualSeed, noGrad, rand, tensor } from '@scratchnet/tensor';

const tensorOf = (image: Float32Array) => tensor(image, [1, 1, 28, 28]);

import { describe, expect, it } from 'vitest';
import {
  describeLayers,
  inspectNetwork,
  loadNetwork,
  networkConfigFor,
  previewNetwork,
  saveNetwork,
} from './network.js';
import { parseLayers } from './setup.js';

describe('the playground network', () => {
  it('is the library sequential network: Flatten inserted, the output layer to 10 classes', () => {
    const config = networkConfigFor(parseLayers('c8k5-r-p2-f64-r'));
    expect(config.layers.map((l) => l.name)).toEqual([
      'conv1',
      'relu1',
      'pool1',
      'flatten',
      'fc1',
      'relu2',
      'fc2',
    ]);
    const preview = previewNetwork(parseLayers('c8k5-r-p2-f64-r'));
    expect(preview.shapes).toEqual([
      [8, 24, 24],
      [8, 24, 24],
      [8, 12, 12],
      [1152],
      [64],
      [64],
      [10],
    ]);
    const net = createNetwork(config);
    expect(net).toBeInstanceOf(SequentialNet);
    expect(net.parameterCount()).toBe(8 * 25 + 8 + 1152 * 64 + 64 + 64 * 10 + 10);
    expect(preview.params).toBe(net.parameterCount());
    expect(net.forward(rand([3, 1, 28, 28])).shape).toEqual([3, 10]);
    expect(describeLayers(net).map((l) => `${l.name} ${l.kind}`)).toEqual([
      'conv1 Conv2d',
      'relu1 ReLU',
      'pool1 MaxPool2d',
      'flatten Flatten',
      'fc1 Linear',
      'relu2 ReLU',
      'fc2 Linear',
    ]);
  });

  it('says which editor layer does not fit', () => {
    expect(() => previewNetwork(parseLayers('p2-p2-p2-p2-p2'))).toThrow(/^layer 5 \(pool\): /);
    expect(() => previewNetwork(parseLayers('f10-c4k3'))).toThrow(/^layer 2 \(conv\): /);
  });

  it('saves and loads as a model file, predicting the same', () => {
    manualSeed(3);
    const net = createNetwork(networkConfigFor(parseLayers('c4k3p1-bn-r-p2-f32-d0.5-th')));
    net.eval();
    const x = rand([2, 1, 28, 28]);
    const again = loadNetwork(saveNetwork(net), 'test');
    expect(again).toBeInstanceOf(SequentialNet);
    const a = noGrad(() => net.forward(x)).dataSync();
    const b = noGrad(() => again.forward(x)).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('opens model files of earlier playgrounds (their own layer list and state names)', () => {
    manualSeed(5);
    const layers = 'c4k3p1-bn-r-p2-f32-d0.5-th';
    const net = createNetwork(networkConfigFor(parseLayers(layers)));
    net.eval();
    // The earlier PlaygroundNet named its state by position in its layer list.
    const names = (net as SequentialNet).shapes.layers.map((l) => l.name);
    const legacy = Object.fromEntries(
      Object.entries(net.stateDict()).map(([key, value]) => {
        const [layer, ...rest] = key.split('.');
        return [`layers.${names.indexOf(layer!)}.${rest.join('.')}`, value];
      }),
    );
    expect(Object.keys(legacy)).toContain('layers.1.running_mean');
    const bytes = tensorsToSafetensors(legacy, {
      metadata: {
        [MODEL_METADATA.kind]: 'model',
        [MODEL_METADATA.version]: '1',
        [MODEL_METADATA.config]: JSON.stringify({ architecture: 'playground-sequential', layers }),
      },
    });
    const loaded = loadNetwork(bytes, 'old.safetensors');
    const x = rand([2, 1, 28, 28]);
    expect(Array.from(noGrad(() => loaded.forward(x)).dataSync())).toEqual(
      Array.from(noGrad(() => net.forward(x)).dataSync()),
    );
  });

  it('loads the trainer model files and plain exported SimpleConvNet state dicts', () => {
    manualSeed(4);
    const net = new SimpleConvNet({ filterNum: 6, hiddenSize: 20 });
    const x = rand([1, 1, 28, 28]);
    const expected = Array.from(noGrad(() => net.eval().forward(x)).dataSync());
    const fromModel = loadNetwork(saveModel(net), 'model.safetensors');
    const exported = tensorsToSafetensors(net.stateDict(), { metadata: { format: 'pt' } });
    const fromExport = loadNetwork(exported, 'export.safetensors');
    for (const loaded of [fromModel, fromExport]) {
      expect(Array.from(noGrad(() => loaded.forward(x)).dataSync())).toEqual(expected);
    }
  });

  it('refuses malformed files with an error naming the file', () => {
    expect(() => loadNetwork(new Uint8Array([1, 2, 3]), 'junk.bin')).toThrow(/junk\.bin/);
    const other = tensorsToSafetensors({ w: rand([2]) }, {});
    expect(() => loadNetwork(other, 'other.safetensors')).toThrow(/other\.safetensors/);
  });

  it("inspects every layer by its description name: all convolutions' filters and every output", () => {
    manualSeed(6);
    const net = createNetwork(networkConfigFor(parseLayers('c4k3-r-p2-c6k3-r-f16-r')));
    net.train();
    const image = new Float32Array(784).map((_, i) => (i % 28 > 10 && i % 28 < 16 ? 1 : 0));
    const layers = inspectNetwork(net, image, { maxChannels: 5 });
    expect(net.training).toBe(true);
    expect(layers.map((l) => `${l.name} ${l.kind} [${l.outputShape}]`)).toEqual([
      'conv1 Conv2d [4,26,26]',
      'relu1 ReLU [4,26,26]',
      'pool1 MaxPool2d [4,13,13]',
      'conv2 Conv2d [6,11,11]',
      'relu2 ReLU [6,11,11]',
      'fc1 Linear [16]',
      'relu3 ReLU [16]',
      'fc2 Linear [10]',
    ]);
    const conv2 = layers[3]!;
    expect(conv2.filters?.shape).toEqual([6, 4, 3, 3]);
    expect(Array.from(conv2.filters!.data.subarray(0, 9))).toEqual(
      Array.from(net.stateDict()['conv2.weight']!.dataSync().subarray(0, 9)),
    );
    expect(layers[0]!.filters?.shape).toEqual([4, 1, 3, 3]);
    // Up to maxChannels maps; the logits are the network's output for the image.
    expect(conv2.output?.shape).toEqual([5, 11, 11]);
    expect(conv2.output?.total).toBe(6);
    net.eval();
    const logits = noGrad(() => net.forward(tensorOf(image))).dataSync();
    expect(Array.from(layers.at(-1)!.output!.data)).toEqual(Array.from(logits));
    // Without an image: the filters only.
    expect(inspectNetwork(net, null).every((l) => l.output === undefined)).toBe(true);
  });
});
