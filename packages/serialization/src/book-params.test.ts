import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasmBackend, type WasmBackend } from '@scratchnet/backend-wasm';
import { loadMnist } from '@scratchnet/datasets/node';
import { DeepConvNet, MultiLayerNet, type Network, SimpleConvNet } from '@scratchnet/layers';
import { setBackend, type Tensor } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookParamNames, importBookParams } from './book-params.js';
import { loadModel, saveModel } from './model-file.js';

// The book's own saved parameters live beside the repository (../shared/book-params), never in it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bookParamsDir = resolve(repoRoot, '../shared/book-params');
const haveBookParams = existsSync(bookParamsDir);
const skipReason = `skipped: ${bookParamsDir} is absent (the book's parameter files are not in the repository)`;

let testImages: Tensor;
let testLabels: Int32Array;

function accuracyOnMnistTest(network: Network): number {
  return network.accuracy(testImages, testLabels, 500);
}

function importFile(name: string): Network {
  const path = join(bookParamsDir, name);
  return importBookParams(readFileSync(path), { source: path });
}

// On the wasm backend, as users run them: DeepConvNet over 10,000 images takes minutes on the
// reference backend, seconds here. The accuracies are counts of images, the same on both.
describe.skipIf(!haveBookParams)(
  `the book's saved parameters on all 10,000 MNIST test images ${haveBookParams ? '' : `(${skipReason})`}`,
  { timeout: 120_000 },
  () => {
    let backend: WasmBackend;
    beforeAll(async () => {
      backend = await initWasmBackend({ threads: 2 });
      const { test } = loadMnist({ normalize: true, flatten: false });
      testImages = test.images;
      testLabels = Int32Array.from(test.rawLabels);
    });
    afterAll(async () => {
      setBackend('cpu');
      await backend.close();
    });

    it('sample_weight.pkl (ch03 sigmoid MLP) → 93.52%', () => {
      const network = importFile('sample_weight.pkl');
      expect(network.config.architecture).toBe('mlp');
      expect(accuracyOnMnistTest(network)).toBe(0.9352);
    });

    it('simple_convnet_params_2016.pkl → 98.90%', () => {
      const network = importFile('simple_convnet_params_2016.pkl');
      expect(network.config.architecture).toBe('simple-convnet');
      expect(accuracyOnMnistTest(network)).toBe(0.989);
    });

    it('deep_convnet_params_2016.pkl → 99.35%, and still 99.35% stored as F16 (the book’s chapter 8.3.4)', () => {
      const network = importFile('deep_convnet_params_2016.pkl');
      expect(network.config.architecture).toBe('deep-convnet');
      expect(accuracyOnMnistTest(network)).toBe(0.9935);
      const half = loadModel(saveModel(network, { dtype: 'F16' }), { source: 'deep-convnet-f16' });
      expect(accuracyOnMnistTest(half)).toBe(0.9935);
    });

    it('deep_convnet_params.pkl (2022, pickle protocol 4) → 97.97%', () => {
      expect(accuracyOnMnistTest(importFile('deep_convnet_params.pkl'))).toBe(0.9797);
    });
  },
);

it.runIf(!haveBookParams)(skipReason, () => {
  console.warn(skipReason);
});

describe('bookParamNames', () => {
  it("names the book's keys in its order, with the state name each is and the affine transposes", () => {
    const names = bookParamNames('simple-convnet');
    expect(Object.keys(names)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(names.W1).toEqual({ name: 'conv1.weight', transpose: false });
    expect(names.W2).toEqual({ name: 'fc1.weight', transpose: true });
    expect(names.b3).toEqual({ name: 'fc2.bias', transpose: false });
  });

  it("covers every parameter of each of the book's networks, once", () => {
    const networks = {
      mlp: new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10 }),
      'simple-convnet': new SimpleConvNet(),
      'deep-convnet': new DeepConvNet(),
    } as const;
    for (const [architecture, network] of Object.entries(networks)) {
      const names = Object.values(bookParamNames(architecture as keyof typeof networks));
      expect(names.map((n) => n.name).sort(), architecture).toEqual(
        network
          .namedParameters()
          .map(([name]) => name)
          .sort(),
      );
    }
  });

  it('returns a copy the caller may change', () => {
    bookParamNames('mlp').W1!.name = 'changed';
    expect(bookParamNames('mlp').W1!.name).toBe('fc1.weight');
  });
});
