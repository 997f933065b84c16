/**
 * `evaluate` and `fit` free every buffer they make as they go: their memory is flat by
 * construction, not by the garbage collector's timing. Counted in blocks of the wasm backend's
 * heap and in the core's finalizer count, which is deterministic.
 */
import { initWasmBackend, type WasmBackend } from '@scratchnet/backend-wasm';
import { ArrayDataset } from '@scratchnet/datasets';
import { SimpleConvNet } from '@scratchnet/layers';
import { manualSeed, memory, RandomGenerator, setBackend } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { fit } from './trainer.js';

/** 10,000 random 1×28×28 images with labels: the size of MNIST's test set. */
function images(): ArrayDataset {
  const random = new RandomGenerator(3);
  const n = 10_000;
  const features = new Float32Array(n * 784);
  for (let i = 0; i < features.length; i++) features[i] = random.uniform();
  const labels = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 10);
  return new ArrayDataset({
    features,
    labels,
    sampleShape: [1, 28, 28],
    transforms: { normalize: false, flatten: false },
  });
}

describe('evaluate and fit keep memory flat on the wasm backend', () => {
  let backend: WasmBackend;
  const data = images();
  beforeAll(async () => {
    backend = await initWasmBackend({ threads: 1, variant: 'simd' });
  });
  afterAll(async () => {
    setBackend('cpu');
    await backend.close();
  });

  it('evaluate() over 10,000 images: the same blocks after every batch, none left after', {
    timeout: 10 * 60_000,
  }, async () => {
    manualSeed(0);
    const net = new SimpleConvNet();
    const before = backend.stats();
    const finalized = memory(backend).finalized;
    const blocks: number[] = [];
    const result = await evaluate(net, data, {
      betweenBatches: () => void blocks.push(backend.stats().liveBlocks),
    });
    expect(result.samples).toBe(10_000);
    expect(blocks).toHaveLength(100);
    expect(new Set(blocks)).toEqual(new Set([before.liveBlocks]));
    expect(backend.stats().liveBlocks).toBe(before.liveBlocks);
    expect(backend.stats().evictions).toBe(before.evictions);
    expect(memory(backend).finalized).toBe(finalized);
    net.dispose();
  });

  it('fit() over 10,000 images: the same blocks after every step, and nothing for the finalizer', {
    timeout: 10 * 60_000,
  }, async () => {
    manualSeed(0);
    const net = new SimpleConvNet();
    const blocks: number[] = [];
    const finalized = memory(backend).finalized;
    const evictions = backend.stats().evictions;
    const { history } = await fit(net, data, {
      epochs: 1,
      batchSize: 100,
      optimizer: 'adam',
      lr: 0.001,
      logEvery: 10,
      callbacks: { onStepEnd: () => void blocks.push(backend.stats().liveBlocks) },
    });
    expect(history).toHaveLength(1);
    expect(history[0]!.trainAccuracy).toBeGreaterThanOrEqual(0);
    expect(blocks).toHaveLength(100);
    // Each step keeps its loss and accuracy (a block each) until the losses are read back, all
    // at once, every 10 steps; beyond those, every step frees all it made (Adam's slots are
    // made at step 1). So the count after step s depends only on s mod 10.
    const afterRead = blocks[9]!;
    blocks.forEach((b, i) => {
      if (i >= 9) expect(b, `after step ${i + 1}`).toBe(afterRead + 2 * ((i + 1) % 10));
    });
    expect(backend.stats().evictions).toBe(evictions);
    // fit yields between steps (for signals), so finalizers could run: none had anything to do.
    expect(memory(backend).finalized).toBe(finalized);
    net.dispose();
  });
});
