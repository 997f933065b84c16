import { SimpleConvNet } from '@scratchnet/layers';
import { saveModel, tensorsToSafetensors } from '@scratchnet/serialization';
import { manualSeed, noGrad, rand } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { describeLayers, loadNetwork, PlaygroundNet, saveNetwork } from './network.js';
import { parseLayers } from './setup.js';

describe('PlaygroundNet', () => {
  it('builds the layer list, inserting Flatten, with the output layer to 10 classes', () => {
    const net = new PlaygroundNet(parseLayers('c8k5-r-p2-f64-r'));
    expect(net.shapes).toEqual([[8, 24, 24], [8, 24, 24], [8, 12, 12], [1152], [64], [64], [10]]);
    expect(net.parameterCount()).toBe(8 * 25 + 8 + 1152 * 64 + 64 + 64 * 10 + 10);
    expect(net.forward(rand([3, 1, 28, 28])).shape).toEqual([3, 10]);
    expect(describeLayers(net).map((l) => l.kind)).toEqual([
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Linear',
      'ReLU',
      'Linear',
    ]);
  });

  it('says which layer does not fit', () => {
    expect(() => new PlaygroundNet(parseLayers('p2-p2-p2-p2-p2'))).toThrow(/layer 5 \(pool\)/);
    expect(() => new PlaygroundNet(parseLayers('f10-c4k3'))).toThrow(/layer 2 \(conv\)/);
  });

  it('saves and loads as a model file, predicting the same', () => {
    manualSeed(3);
    const net = new PlaygroundNet(parseLayers('c4k3p1-bn-r-p2-f32-d0.5-th'));
    net.eval();
    const x = rand([2, 1, 28, 28]);
    const again = loadNetwork(saveNetwork(net), 'test');
    expect(again).toBeInstanceOf(PlaygroundNet);
    const a = noGrad(() => net.forward(x)).dataSync();
    const b = noGrad(() => again.forward(x)).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
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
});
