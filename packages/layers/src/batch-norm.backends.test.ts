import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batch-norm.js';
import { checkLayerCase, loadFixture } from './testing/golden.js';

const { cases } = loadFixture('batch-norm.json');

describeEachBackend('BatchNorm1d / BatchNorm2d against nn.BatchNorm1d / nn.BatchNorm2d', () => {
  it('has train and eval cases for both layers', () => {
    const kinds = cases.map((c) => `${c.layer} ${c.training ? 'train' : 'eval'}`);
    expect(new Set(kinds)).toEqual(
      new Set(['BatchNorm1d train', 'BatchNorm1d eval', 'BatchNorm2d train', 'BatchNorm2d eval']),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const Layer = c.layer === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
    const numFeatures = c.inputs.x!.shape[1]!;
    const layer = new Layer(numFeatures, c.options as BatchNormOptions);
    // Output, gradients of x, γ and β, and running_mean / running_var / num_batches_tracked.
    checkLayerCase(c, layer);
  });
});

describeEachBackend('BatchNorm running statistics', () => {
  // Two channels over a batch of 4: means 2.5 and 0, biased variances 1.25 and 1.
  const x = tensor([
    [1, 1],
    [2, -1],
    [3, 1],
    [4, -1],
  ]);

  it('uses momentum 0.1 and the unbiased variance by default (PyTorch)', () => {
    const bn = new BatchNorm1d(2);
    bn.forward(x);
    const state = bn.stateDict();
    expect(Array.from(state.running_mean!.dataSync())).toEqual([0.25, 0].map(Math.fround));
    // 0.9·1 + 0.1·(1.25·4/3) and 0.9·1 + 0.1·(1·4/3)
    const runningVar = Array.from(state.running_var!.dataSync());
    expect(runningVar[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
    expect(runningVar[1]).toBeCloseTo(0.9 + 0.1 * (4 / 3), 6);
    expect(state.num_batches_tracked!.item()).toBe(1);
  });

  it('can follow the book instead: its biased variance (its momentum 0.9 is our 0.1)', () => {
    const bn = new BatchNorm1d(2, { unbiasedRunningVar: false });
    bn.forward(x);
    const runningVar = Array.from(bn.stateDict().running_var!.dataSync());
    expect(runningVar[0]).toBeCloseTo(0.9 + 0.1 * 1.25, 6);
    expect(runningVar[1]).toBeCloseTo(0.9 + 0.1 * 1, 6);
  });

  it('starts the running variance at 0 as the book does, when asked', () => {
    // The book's BatchNormalization: running_var = 0.9·zeros + 0.1·var, the biased variance.
    const bn = new BatchNorm1d(2, { unbiasedRunningVar: false, initialRunningVar: 0 });
    expect(Array.from(bn.stateDict().running_var!.dataSync())).toEqual([0, 0]);
    bn.forward(x);
    const runningVar = Array.from(bn.stateDict().running_var!.dataSync());
    expect(runningVar[0]).toBeCloseTo(0.125, 7);
    expect(runningVar[1]).toBeCloseTo(0.1, 7);
    // In eval mode the third row (3, 1) is normalised by those: (3 − 0.25) / √(0.125 + 1e-5).
    const y = bn.eval().forward(x).dataSync();
    expect(y[4]).toBeCloseTo((3 - 0.25) / Math.sqrt(0.125 + 1e-5), 4);
    expect(y[5]).toBeCloseTo(1 / Math.sqrt(0.1 + 1e-5), 4);
    expect(() => new BatchNorm2d(2, { initialRunningVar: -1 })).toThrow(
      /BatchNorm\(2\): initialRunningVar must be a finite number ≥ 0, got -1/,
    );
  });

  it('leaves the running statistics alone in eval mode', () => {
    const bn = new BatchNorm1d(2).eval();
    const y = bn.forward(x);
    // Running mean 0 and variance 1: y = x / √(1 + 1e-5).
    expect(y.dataSync()[2]).toBeCloseTo(2 / Math.sqrt(1 + 1e-5), 6);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(0);
    expect(Array.from(bn.stateDict().running_mean!.dataSync())).toEqual([0, 0]);
  });

  it('names the wrong channel count and rank', () => {
    expect(() => new BatchNorm1d(3).forward(x)).toThrow(/2 channels on axis 1, expected 3/);
    expect(() => new BatchNorm2d(2).forward(x)).toThrow(/must be \[N, C, H, W\]/);
    expect(() => new BatchNorm1d(2).forward(tensor([[1, 2]]))).toThrow(
      /more than one value per channel/,
    );
  });
});
