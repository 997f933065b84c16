import type { ArrayDataset } from '@scratchnet/datasets';
import { MultiLayerNetExtend } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed } from '@scratchnet/tensor';
import { type BookTrainerOptions, type BookTrainerResult, runBookTrainer } from './book-trainer.js';

/** The settings of `overfitExperiment`; the defaults are `ch06/overfit_weight_decay.py`'s. */
export interface OverfitOptions extends Pick<BookTrainerOptions, 'onLoss' | 'onEpoch' | 'signal'> {
  /** The first training samples used; default the book's 300 (few, to overfit). */
  samples?: number;
  /** The first test samples scored; default all. */
  testSamples?: number;
  /** Default the book's six hidden layers of 100 (a 7-layer MLP, ReLU, He initialisation). */
  hiddenSizeList?: number[];
  /** Evaluations, one per epoch; default 201, as `overfit_weight_decay.py`. */
  epochs?: number;
  /** Samples per batch; default the book's 100. */
  batchSize?: number;
  /** SGD's learning rate; default the book's 0.01. */
  lr?: number;
  /** λ of the weight decay ½λΣW² (section 6.4.2); default 0. */
  weightDecayLambda?: number;
  /** The share of units dropout drops while training (section 6.4.3); default none. */
  dropoutRatio?: number;
  /**
   * 'loop' (default): stop at the last evaluation, as `overfit_weight_decay.py`'s own loop;
   * 'trainer': run the book Trainer's `int(epochs · iter_per_epoch)` steps, as `overfit_dropout.py`.
   */
  until?: 'loop' | 'trainer';
  /** Seeds the weights, the batches and the dropout masks; default 1. */
  seed?: number;
  /** Every step's training loss (1-based step). */
  onLoss?(loss: number, step: number): void | Promise<void>;
  /** After each evaluation; `epoch` counts from 1, as the book's Trainer prints it. */
  onEpoch?(info: {
    epoch: number;
    step: number;
    trainAccuracy: number;
    testAccuracy: number;
  }): void | Promise<void>;
}

/**
 * The book's overfitting experiments (section 6.4): a 7-layer MLP (six hidden layers of 100, ReLU,
 * He initialisation) trained by SGD (lr 0.01, batches of 100) on only the first 300 MNIST
 * training images, with the accuracy on those and on the test set once per epoch. Without
 * regularisation the training accuracy reaches 100% while the test accuracy stalls near 70%
 * (figure 6-20: `ch06/overfit_weight_decay.py` with λ = 0); `weightDecayLambda: 0.1` narrows the
 * gap (figure 6-21); `dropoutRatio: 0.2`, 301 epochs and `until: 'trainer'` is
 * `ch06/overfit_dropout.py` (figure 6-23). Measured as the book measures (`runBookTrainer`).
 */
export async function overfitExperiment(
  train: ArrayDataset,
  test: ArrayDataset,
  {
    samples = 300,
    testSamples,
    hiddenSizeList = [100, 100, 100, 100, 100, 100],
    epochs = 201,
    batchSize = 100,
    lr = 0.01,
    weightDecayLambda = 0,
    dropoutRatio,
    until = 'loop',
    seed = 1,
    signal,
    onLoss,
    onEpoch,
  }: OverfitOptions = {},
): Promise<BookTrainerResult> {
  const first = (data: ArrayDataset, n: number) =>
    data.subset(Array.from({ length: Math.min(n, data.length) }, (_, i) => i));
  const data = first(train, samples);
  const testData = testSamples === undefined ? test : first(test, testSamples);
  manualSeed(seed);
  const network = new MultiLayerNetExtend({
    inputSize: 784,
    hiddenSizeList,
    outputSize: 10,
    weightDecayLambda,
    useDropout: dropoutRatio !== undefined,
    dropoutRatio: dropoutRatio ?? 0.5,
  });
  const iterPerEpoch = Math.max(data.length / batchSize, 1);
  return runBookTrainer(network, data, testData, {
    optimizer: new SGD(network.parameters(), { lr }),
    epochs,
    miniBatchSize: batchSize,
    // The loop's last evaluation is at i = (epochs − 1) · iter_per_epoch (whole when it divides).
    ...(until === 'loop' ? { iterations: Math.ceil((epochs - 1) * iterPerEpoch) + 1 } : {}),
    seed,
    signal,
    onLoss,
    onEpoch,
  });
}
