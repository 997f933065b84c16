import { readFileSync } from 'node:fs';
import type { NetworkConfig } from '@scratchnet/layers';
import { noGrad, rand, tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { importStateDict } from './import-state-dict.js';
import { loadModel, saveModel } from './model-file.js';
import { safetensorsToTensors, tensorsToSafetensors } from './safetensors.js';

/** State dicts PyTorch saved (scripts/make-torch-import-fixture.py), and its logits for them. */
const fixtures = new URL('./fixtures/torch-import/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', fixtures), 'utf8')) as {
  input: { shape: number[]; data: number[] };
  models: Record<
    'sequential' | 'simple-convnet',
    { config: NetworkConfig; logits: { shape: number[]; data: number[] } }
  >;
};
const stateDict = (name: string) =>
  new Uint8Array(readFileSync(new URL(`${name}.safetensors`, fixtures)));

describe('importStateDict', () => {
  for (const name of ['sequential', 'simple-convnet'] as const) {
    it(`loads the ${name} state dict PyTorch saved and gives PyTorch's logits`, () => {
      const { config, logits } = expected.models[name];
      const network = importStateDict(stateDict(name), config, { source: `${name}.safetensors` });
      expect(network.training).toBe(false);
      const x = tensor(Float32Array.from(expected.input.data), expected.input.shape);
      const out = noGrad(() => network.forward(x));
      expect(out.shape).toEqual(logits.shape);
      const values = out.dataSync();
      logits.data.forEach((v, i) => {
        expect(Math.abs(values[i]! - v)).toBeLessThan(1e-5);
      });
      // And it becomes a model file that opens as any other.
      const again = loadModel(saveModel(network));
      expect(Array.from(noGrad(() => again.forward(x)).dataSync())).toEqual(Array.from(values));
    });
  }

  it('keeps batch norm running statistics and the int64 num_batches_tracked', () => {
    const { config } = expected.models.sequential;
    const state = importStateDict(stateDict('sequential'), config).stateDict();
    expect(state['1.num_batches_tracked']!.item()).toBe(3);
    expect(Array.from(state['1.running_var']!.dataSync()).some((v) => v !== 1)).toBe(true);
  });

  it('names every tensor whose name or shape does not fit, with the file', () => {
    const wrong = { architecture: 'simple-convnet', filterNum: 6, hiddenSize: 30 };
    expect(() =>
      importStateDict(stateDict('simple-convnet'), wrong, { source: 'net.safetensors' }),
    ).toThrow(
      /net\.safetensors: tensor "fc1\.weight" has shape \[20, 864\], but the config's simple-convnet expects \[30, 864\]; tensor "fc1\.bias" has shape \[20\].*; tensor "fc2\.weight" has shape \[10, 20\]/,
    );
    // A PyTorch module that called its convolution `conv`.
    const { tensors } = safetensorsToTensors(stateDict('simple-convnet'));
    const renamed = tensorsToSafetensors(
      Object.fromEntries(
        Object.entries(tensors).map(([key, t]) => [key.replace(/^conv1\./, 'conv.'), t]),
      ),
      {},
    );
    expect(() =>
      importStateDict(renamed, expected.models['simple-convnet'].config, {
        source: 'x.safetensors',
      }),
    ).toThrow(
      /x\.safetensors: missing tensor "conv1\.weight" \(shape \[6, 1, 5, 5\]\);.*unexpected tensor "conv\.weight"/,
    );
  });

  it('says when the state dict is of a wrapped model (DataParallel, torch.compile)', () => {
    const wrapped = tensorsToSafetensors(
      { 'module.0.weight': rand([2]), 'module.0.bias': rand([2]) },
      {},
    );
    expect(() =>
      importStateDict(wrapped, { architecture: 'mlp' }, { source: 'dp.safetensors' }),
    ).toThrow(
      `dp.safetensors: every tensor name starts with "module." (a wrapped PyTorch model): save the inner model's state_dict() instead`,
    );
  });
});
