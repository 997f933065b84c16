import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DivergenceWatch, detectDivergence } from './divergence.js';

/**
 * Real runs: 300 steps of the playground's default network (conv 8 5×5, ReLU, pool 2, fc 64,
 * ReLU, fc 10) on MNIST, batch 64, seed 1, recorded from `Trainer`'s `onLog`.
 */
const runs = JSON.parse(
  readFileSync(new URL('../test/loss-sequences.json', import.meta.url), 'utf8'),
) as Record<string, number[]>;

describe('detectDivergence on real loss sequences', () => {
  it('names SGD with lr 10: a jump to 12.9, then flat at the start level', () => {
    const found = detectDivergence(runs.sgd10!);
    expect(found?.kind).toBe('stuck');
    expect(found?.step).toBe(100);
    expect(found?.peakLoss).toBeCloseTo(12.9, 1);
    expect(found?.message).toMatch(/^the loss jumped to 12\.9 and stays at 2\.3\d/);
  });

  it('names Adam with lr 0.1 and SGD with lr 3 (a smaller jump), and SGD lr 1 (fell, came back)', () => {
    expect(detectDivergence(runs['adam0.1']!)?.kind).toBe('stuck');
    expect(detectDivergence(runs.sgd3!)?.kind).toBe('stuck');
    const sgd1 = detectDivergence(runs.sgd1!);
    expect(sgd1?.kind).toBe('stuck');
    expect(sgd1?.message).toMatch(/^the loss fell to 1\.\d+, then rose back to 2\.3/);
  });

  it('leaves learning runs alone: Adam lr 0.001, SGD lr 0.1, and SGD lr 0.0001 (too slow to see)', () => {
    for (const name of ['adam0.001', 'sgd0.1', 'sgd1e-4']) {
      expect(detectDivergence(runs[name]!), name).toBeNull();
    }
  });

  it('needs 100 steps before calling a flat loss stuck', () => {
    expect(detectDivergence(runs.sgd10!.slice(0, 99))).toBeNull();
  });
});

describe('detectDivergence on made-up sequences', () => {
  it('names a NaN or infinite loss at its step', () => {
    expect(detectDivergence([2.3, 2.1, Number.NaN, 1])).toMatchObject({
      kind: 'non-finite',
      step: 3,
      message: 'the loss is NaN at step 3',
    });
    expect(detectDivergence([2.3, Number.POSITIVE_INFINITY])?.kind).toBe('non-finite');
  });

  it('names a loss far above the start once a window is full', () => {
    const rising = Array.from({ length: 60 }, (_, i) => 2.3 + i * 0.2);
    const found = detectDivergence(rising);
    expect(found?.kind).toBe('exploding');
    expect(found?.step).toBe(50);
    expect(detectDivergence(rising, { window: 10 })?.step).toBeLessThan(20);
  });

  it('watches one loss at a time and keeps the first finding', () => {
    const watch = new DivergenceWatch();
    for (const loss of runs.sgd10!.slice(0, 99)) expect(watch.push(loss)).toBeNull();
    const found = watch.push(runs.sgd10![99]!);
    expect(found?.kind).toBe('stuck');
    expect(watch.push(0.1)).toBe(found);
    expect(watch.steps).toBe(100);
  });
});
