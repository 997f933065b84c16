import { readFileSync } from 'node:fs';
import { tensor } from '@scratchnet/tensor';
import { expect, it } from 'vitest';
import { loadModel } from './model-file.js';

// Fixtures from scripts/make-interop-model.ts (scratchnet side) and
// scripts/torch-load-scratchnet.py (PyTorch side: load_state_dict(strict=True) and forward).
const fixture = (name: string) => new URL(`./fixtures/interop/${name}`, import.meta.url);

it('a scratchnet SimpleConvNet file loaded into PyTorch gives the same logits (within 1e-5)', () => {
  const network = loadModel(readFileSync(fixture('simple-convnet.safetensors')), {
    source: 'simple-convnet.safetensors',
  });
  const input = JSON.parse(readFileSync(fixture('input.json'), 'utf8')) as {
    shape: number[];
    data: number[];
  };
  const torchLogits = JSON.parse(readFileSync(fixture('logits.json'), 'utf8')) as {
    shape: number[];
    data: number[];
  };
  const ours = network.forward(tensor(input.data, input.shape)).dataSync();
  expect([...network.forward(tensor(input.data, input.shape)).shape]).toEqual(torchLogits.shape);
  const worst = Math.max(...torchLogits.data.map((v, i) => Math.abs(v - ours[i]!)));
  expect(worst).toBeLessThan(1e-5);
  // Not trivially small: the comparison has something to compare.
  expect(Math.max(...torchLogits.data.map(Math.abs))).toBeGreaterThan(0.1);
});
