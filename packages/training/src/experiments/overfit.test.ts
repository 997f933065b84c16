import { loadMnist } from '@scratchnet/datasets/node';
import { describe, expect, it } from 'vitest';
import { overfitExperiment } from './overfit.js';

describe('overfitExperiment (the book’s overfit_weight_decay.py and overfit_dropout.py)', () => {
  const mnist = loadMnist({ normalize: true });
  const small = {
    samples: 100,
    testSamples: 500,
    batchSize: 20,
    hiddenSizeList: [40, 40, 40],
    epochs: 25,
  };

  it('measures after each epoch’s first step, and fits its few images better than the test set', async () => {
    const steps: number[] = [];
    const result = await overfitExperiment(mnist.train.dataset, mnist.test.dataset, {
      ...small,
      onEpoch: ({ step }) => {
        steps.push(step);
      },
    });
    // 100 images in batches of 20: iter_per_epoch = 5, measured at steps 1, 6, 11, …, 121.
    expect(steps).toEqual(Array.from({ length: 25 }, (_, e) => 1 + 5 * e));
    expect(result.trainAccuracy).toHaveLength(25);
    expect(result.testAccuracy).toHaveLength(25);
    expect(result.trainAccuracy.at(-1)!).toBeGreaterThan(0.6);
    expect(result.trainAccuracy.at(-1)!).toBeGreaterThan(result.testAccuracy.at(-1)! + 0.1);
  });

  it('runs the book Trainer’s int(epochs · iter_per_epoch) steps with until: trainer, and dropout', async () => {
    const losses: number[] = [];
    const result = await overfitExperiment(mnist.train.dataset, mnist.test.dataset, {
      ...small,
      epochs: 4,
      dropoutRatio: 0.2,
      until: 'trainer',
      onLoss: (loss, step) => {
        losses.push(step);
        expect(Number.isFinite(loss)).toBe(true);
      },
    });
    expect(losses).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.trainAccuracy).toHaveLength(4);
    expect(result.finalTestAccuracy).toBeGreaterThan(0.1);
  });

  it('stops after the step under way when its signal is aborted, without the final evaluation', async () => {
    const controller = new AbortController();
    const epochs: number[] = [];
    const run = overfitExperiment(mnist.train.dataset, mnist.test.dataset, {
      ...small,
      signal: controller.signal,
      onEpoch: ({ epoch }) => {
        epochs.push(epoch);
        if (epoch === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(epochs).toEqual([1, 2, 3]);
  });
});
