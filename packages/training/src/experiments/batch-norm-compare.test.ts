import { loadMnist } from '@scratchnet/datasets/node';
import { describe, expect, it } from 'vitest';
import { BATCH_NORM_WEIGHT_SCALES, compareBatchNorm, logspace } from './batch-norm-compare.js';

describe('logspace', () => {
  it('is NumPy’s np.logspace(0, -4, num=16)', () => {
    const numpy = [
      1.0, 0.5411695265464637, 0.2928644564625237, 0.15848931924611134, 0.08576958985908942,
      0.046415888336127795, 0.025118864315095794, 0.013593563908785255, 0.007356422544596414,
      0.003981071705534973, 0.0021544346900318843, 0.0011659144011798323, 0.000630957344480193,
      0.0003414548873833601, 0.00018478497974222906, 0.0001,
    ];
    expect(BATCH_NORM_WEIGHT_SCALES).toHaveLength(16);
    for (const [i, v] of numpy.entries()) {
      expect(Math.abs(BATCH_NORM_WEIGHT_SCALES[i]! - v) / v).toBeLessThan(1e-15);
    }
    expect(BATCH_NORM_WEIGHT_SCALES.at(-1)).toBe(0.0001); // as NumPy, not 10 ** -4 in V8
    expect(logspace(2, -4, 4)).toEqual([100, 1, 0.01, 0.0001]);
  });
});

describe('compareBatchNorm (the book’s batch_norm_test.py, figure 6-19)', () => {
  it('learns from small initial weights with batch norm, and not without', async () => {
    const { train } = loadMnist({ normalize: true });
    const epochs: number[] = [];
    const [run] = await compareBatchNorm(train.dataset, {
      weightScales: [0.02],
      samples: 300,
      epochs: 10,
      batchSize: 30,
      hiddenSizeList: [30, 30, 30],
      onEpoch: ({ epoch }) => {
        epochs.push(epoch);
      },
    });
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(run!.weightScale).toBe(0.02);
    expect(run!.trainAccuracy).toHaveLength(10);
    expect(run!.batchNormTrainAccuracy).toHaveLength(10);
    // Without batch norm the tiny signal never gets through: one class for every image.
    expect(Math.max(...run!.trainAccuracy)).toBeLessThan(0.2);
    expect(run!.batchNormTrainAccuracy.at(-1)!).toBeGreaterThan(0.4);
  });

  it('stops at its signal, between epochs and between weight scales', async () => {
    const { train } = loadMnist({ normalize: true });
    const controller = new AbortController();
    const seen: [number, number][] = [];
    const run = compareBatchNorm(train.dataset, {
      weightScales: [0.1, 0.01],
      samples: 100,
      epochs: 3,
      batchSize: 50,
      hiddenSizeList: [10],
      signal: controller.signal,
      onEpoch: ({ weightScale, epoch }) => {
        seen.push([weightScale, epoch]);
        if (epoch === 1) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toEqual([
      [0.1, 0],
      [0.1, 1],
    ]);
  });
});
