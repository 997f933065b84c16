import type { ArrayDataset } from '@scratchnet/datasets';
import { MultiLayerNetExtend } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed } from '@scratchnet/tensor';
import { evaluate } from '../evaluate.js';
import { trainInLockstep } from './lockstep.js';

/**
 * NumPy's `np.logspace(start, stop, num)`: `num` powers of ten with exponents evenly spaced from
 * `start` to `stop`, both included. JavaScript's `**` may differ from NumPy's `power` in the last
 * bit: of figure 6-19's scales only 10^−0.8 does (0.15848931924611132, NumPy …134).
 */
export function logspace(start: number, stop: number, num: number): number[] {
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  // A whole exponent is read as a literal, exact where 10 ** -4 is 9.999999999999999e-5 in V8.
  const power = (e: number) => (Number.isInteger(e) ? Number(`1e${e}`) : 10 ** e);
  return Array.from({ length: num }, (_, i) => power(i === num - 1 ? stop : start + i * step));
}

/** The weight scales of figure 6-19: `np.logspace(0, -4, num=16)`, from 1 down to 1e-4. */
export const BATCH_NORM_WEIGHT_SCALES: readonly number[] = logspace(0, -4, 16);

/** One weight scale's training accuracies, once per epoch, without and with batch norm. */
export interface BatchNormRun {
  /** The standard deviation of the initial weights (figure 6-19's `w`). */
  weightScale: number;
  /** Without batch norm: the training accuracy (a fraction) after each epoch's first step. */
  trainAccuracy: number[];
  /** The same network with batch norm, on the same batches. */
  batchNormTrainAccuracy: number[];
}

/** The settings of `compareBatchNorm`; the defaults are `ch06/batch_norm_test.py`'s. */
export interface CompareBatchNormOptions {
  /** The standard deviations of the initial weights; default `BATCH_NORM_WEIGHT_SCALES`. */
  weightScales?: readonly number[];
  /** The first training samples used; default the book's 1000. */
  samples?: number;
  /** Evaluations, one per epoch; default the book's 20. */
  epochs?: number;
  /** Samples per batch; default the book's 100. */
  batchSize?: number;
  /** SGD's learning rate; default the book's 0.01. */
  lr?: number;
  /** Default the book's five of 100. */
  hiddenSizeList?: number[];
  /** Seeds the weights and the batches; default 1. */
  seed?: number;
  /** Cancels the runs: rejects with the signal's reason before the next step (`trainInLockstep`). */
  signal?: AbortSignal;
  /** Before a weight scale's training (`index` 0-based). */
  onScale?(index: number, weightScale: number): void | Promise<void>;
  /** After each evaluation: `epoch` counts from 0, as the book prints it. */
  onEpoch?(info: {
    weightScale: number;
    epoch: number;
    trainAccuracy: number;
    batchNormTrainAccuracy: number;
  }): void | Promise<void>;
}

/**
 * The book's `ch06/batch_norm_test.py` (section 6.3.2, figure 6-19): for each initial weight
 * scale, a 6-layer MLP (five hidden layers of 100, ReLU) with and without batch normalisation,
 * trained side by side by SGD (lr 0.01) on the same batches of 100 from the first 1000 MNIST
 * training images. As the book, the training accuracy (over all the images, in evaluation mode)
 * is measured after the first step of every epoch (`i % iter_per_epoch == 0`), 20 times. Without
 * batch norm the small scales never learn; with it every scale does.
 */
export async function compareBatchNorm(
  train: ArrayDataset,
  {
    weightScales = BATCH_NORM_WEIGHT_SCALES,
    samples = 1000,
    epochs = 20,
    batchSize = 100,
    lr = 0.01,
    hiddenSizeList = [100, 100, 100, 100, 100],
    seed = 1,
    signal,
    onScale,
    onEpoch,
  }: CompareBatchNormOptions = {},
): Promise<BatchNormRun[]> {
  const data = train.subset(Array.from({ length: Math.min(samples, train.length) }, (_, i) => i));
  const iterPerEpoch = Math.max(data.length / batchSize, 1);
  const runs: BatchNormRun[] = [];
  manualSeed(seed);
  for (const [index, weightScale] of weightScales.entries()) {
    signal?.throwIfAborted();
    await onScale?.(index, weightScale);
    const build = (useBatchnorm: boolean) =>
      new MultiLayerNetExtend({
        inputSize: 784,
        hiddenSizeList,
        outputSize: 10,
        weightInitStd: weightScale,
        useBatchnorm,
      });
    const bnNetwork = build(true);
    const network = build(false);
    const run: BatchNormRun = { weightScale, trainAccuracy: [], batchNormTrainAccuracy: [] };
    await trainInLockstep(
      data,
      [bnNetwork, network].map((net) => ({
        network: net,
        optimizer: new SGD(net.parameters(), { lr }),
      })),
      {
        iterations: Number.POSITIVE_INFINITY,
        batchSize,
        seed: seed + index,
        signal,
        afterStep: async (i) => {
          if (i % iterPerEpoch !== 0) return false;
          // At the largest weight scales the plain network's outputs overflow to NaN, as in the
          // book's figure 6-19: its accuracy is still counted (chance level), not refused.
          const keep = { onNonFinite: 'keep' } as const;
          const trainAccuracy = (await evaluate(network, data, keep)).accuracy;
          const batchNormTrainAccuracy = (await evaluate(bnNetwork, data, keep)).accuracy;
          run.trainAccuracy.push(trainAccuracy);
          run.batchNormTrainAccuracy.push(batchNormTrainAccuracy);
          const epoch = run.trainAccuracy.length - 1;
          await onEpoch?.({ weightScale, epoch, trainAccuracy, batchNormTrainAccuracy });
          return run.trainAccuracy.length >= epochs;
        },
      },
    );
    runs.push(run);
  }
  return runs;
}
