import { describe, expect, it } from 'vitest';
import type { TrainingSeries } from '../store.js';
import {
  accuracyData,
  accuracyTick,
  atEpochEnds,
  firstMean,
  formatPercent,
  lastMean,
  lossData,
  testEvaluations,
  zoomedAccuracy,
} from './train-charts.js';

/**
 * Six steps of two epochs (three steps each), a quick test evaluation every two steps; the last
 * epoch's test loss was NaN.
 */
function run(overrides: Partial<TrainingSeries> = {}): TrainingSeries {
  return {
    batchStep: [1, 2, 3, 4, 5, 6],
    batchLoss: [4, 3, 2, 1.5, 1, 0.5],
    batchAccuracy: [0.1, 0.25, 0.5, 0.625, 0.75, 0.875],
    evalStep: [2, 4, 6],
    evalTest: [0.4, 0.7, 0.83],
    evalCount: [1000, 1000, 1000],
    epochStep: [3, 6],
    epochTrain: [0.55, 0.8],
    epochTest: [0.6, 0.85],
    epochTrainLoss: [1.75, 0.75],
    epochTestLoss: [1.5, Number.NaN],
    epochCount: [10_000, 10_000],
    ...overrides,
  };
}

describe('firstMean and lastMean', () => {
  it('average the first and the last n values, or all there are', () => {
    const loss = [4, 3, 2, 1.5, 1, 0.5];
    expect(firstMean(loss, 2)).toBe(3.5); // (4 + 3) / 2
    expect(lastMean(loss, 2)).toBe(0.75); // (1 + 0.5) / 2
    expect(firstMean(loss, 10)).toBe(2); // 12 / 6
    expect(lastMean(loss, 10)).toBe(2);
  });

  it('are 0 before the first step', () => {
    expect(firstMean([], 10)).toBe(0);
    expect(lastMean([], 10)).toBe(0);
  });
});

describe('atEpochEnds', () => {
  it('puts each epoch at the step it ended on, null elsewhere and for NaN', () => {
    const s = run();
    expect(atEpochEnds(s, s.epochTrainLoss)).toEqual([null, null, 1.75, null, null, 0.75]);
    expect(atEpochEnds(s, s.epochTestLoss)).toEqual([null, null, 1.5, null, null, null]);
  });

  it('leaves out an epoch that ended past the last batch step sent', () => {
    const s = run({ epochStep: [3, 7] });
    expect(atEpochEnds(s, s.epochTrain)).toEqual([null, null, 0.55, null, null, null]);
  });
});

describe('lossData', () => {
  it('gives the steps, the batch loss, and the epochs’ train and test loss', () => {
    expect(lossData(run())).toEqual([
      [1, 2, 3, 4, 5, 6],
      [4, 3, 2, 1.5, 1, 0.5],
      [null, null, 1.75, null, null, 0.75],
      [null, null, 1.5, null, null, null],
    ]);
  });

  it('is four empty lines before the first step', () => {
    const empty = run({ batchStep: [], batchLoss: [], epochStep: [] });
    expect(lossData(empty)).toEqual([[], [], [], []]);
  });
});

describe('accuracyData', () => {
  it('gives the steps, the batch accuracy, the quick tests and the epochs’ accuracies', () => {
    expect(accuracyData(run())).toEqual([
      [1, 2, 3, 4, 5, 6],
      [0.1, 0.25, 0.5, 0.625, 0.75, 0.875],
      [null, 0.4, null, 0.7, null, 0.83],
      [null, null, 0.55, null, null, 0.8],
      [null, null, 0.6, null, null, 0.85],
    ]);
  });

  it('leaves out a quick test past the last batch step sent', () => {
    const s = run({ evalStep: [2, 4, 8] });
    expect(accuracyData(s)[2]).toEqual([null, 0.4, null, 0.7, null, null]);
  });
});

describe('zoomedAccuracy', () => {
  it('zooms to the evaluations, its top raised to the batches’', () => {
    // Evaluations 0.4–0.85, padded by 0.045: [0.35, 0.9]. The batches 0.1–0.875, padded by
    // 0.0775, reach 1, so the top is 1.
    expect(zoomedAccuracy(run())).toEqual([0.35, 1]);
  });

  it('keeps the evaluations’ top when the batches stay below it', () => {
    // Evaluations 0.8–0.83, padded by 0.01: [0.75, 0.85]; batches 0.6–0.75: top 0.8.
    const s = run({
      batchAccuracy: [0.6, 0.7, 0.75],
      evalTest: [0.8, 0.82],
      epochTest: [0.83],
    });
    expect(zoomedAccuracy(s)).toEqual([0.75, 0.85]);
  });

  it('follows the batch accuracy while there are fewer than three evaluations', () => {
    // Batches 0.5–0.7, padded by 0.02 and rounded out to 0.05: [0.45, 0.75].
    const s = run({ batchAccuracy: [0.5, 0.6, 0.7], evalTest: [0.4], epochTest: [0.6] });
    expect(zoomedAccuracy(s)).toEqual([0.45, 0.75]);
  });
});

describe('testEvaluations', () => {
  it('merges the quick and the epoch evaluations in step order, the quick one first', () => {
    expect(testEvaluations(run())).toEqual([
      { step: 2, accuracy: 0.4, count: 1000 },
      { step: 3, accuracy: 0.6, count: 10_000 },
      { step: 4, accuracy: 0.7, count: 1000 },
      { step: 6, accuracy: 0.83, count: 1000 },
      { step: 6, accuracy: 0.85, count: 10_000 },
    ]);
  });

  it('counts 0 test images where the count is missing', () => {
    const s = run({ evalStep: [2], evalTest: [0.4], evalCount: [], epochStep: [], epochTest: [] });
    expect(testEvaluations(s)).toEqual([{ step: 2, accuracy: 0.4, count: 0 }]);
  });
});

describe('formatPercent', () => {
  it('writes a share as a percentage with two decimals, or as many as asked', () => {
    expect(formatPercent(0.98761, 'en')).toBe('98.76%');
    expect(formatPercent(0.98761, 'ko')).toBe('98.76%');
    expect(formatPercent(0.98761, 'ja')).toBe('98.76%');
    expect(formatPercent(0.5, 'en', 0)).toBe('50%');
    expect(formatPercent(0.9, 'en', 1)).toBe('90.0%');
  });
});

describe('accuracyTick', () => {
  it('drops the decimals of a whole percentage and keeps one otherwise', () => {
    expect(accuracyTick(0.95, 'en')).toBe('95%');
    expect(accuracyTick(1, 'en')).toBe('100%');
    expect(accuracyTick(0.975, 'en')).toBe('97.5%');
    expect(accuracyTick(0.9936, 'en')).toBe('99.4%');
    // Whole percentages that floating point misses by an ulp (0.55·100 = 55.00000000000001).
    expect(accuracyTick(0.55, 'en')).toBe('55%');
    expect(accuracyTick(0.07, 'en')).toBe('7%');
  });
});
