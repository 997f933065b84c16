import { loadMnist } from '@scratchnet/datasets/node';
import { RandomGenerator } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { randomSearch } from './random-search.js';

describe('randomSearch (the book’s hyperparameter_optimization.py, figure 6-24)', () => {
  it('draws weight decay, then lr, log-uniformly, and sorts the trials by validation accuracy', async () => {
    const { train } = loadMnist({ normalize: true });
    const ran: number[] = [];
    const trials = await randomSearch(train.dataset, {
      trials: 4,
      epochs: 3,
      samples: 100,
      hiddenSizeList: [20, 20],
      seed: 3,
      onTrial: (t) => {
        ran.push(t.trial);
      },
    });
    expect(ran).toEqual([1, 2, 3, 4]);
    const draws = new RandomGenerator(3);
    for (let t = 1; t <= 4; t++) {
      const trial = trials.find((r) => r.trial === t)!;
      expect(trial.weightDecay).toBeCloseTo(10 ** (-8 + 4 * draws.uniform()), 20);
      expect(trial.lr).toBeCloseTo(10 ** (-6 + 4 * draws.uniform()), 20);
      expect(trial.validationAccuracy).toHaveLength(3);
      expect(trial.trainAccuracy).toHaveLength(3);
      // 20 validation images: accuracies are multiples of 1/20.
      for (const a of trial.validationAccuracy)
        expect(Math.abs(a * 20 - Math.round(a * 20))).toBeLessThan(1e-9);
    }
    const finals = trials.map((t) => t.validationAccuracy.at(-1)!);
    expect(finals).toEqual([...finals].sort((a, b) => b - a));
  });
});
