import { type ArrayDataset, trainValidationSplit } from '@scratchnet/datasets';
import { MultiLayerNet } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed, RandomGenerator } from '@scratchnet/tensor';
import { runBookTrainer } from './book-trainer.js';

/** One random-search trial: its hyperparameters and the accuracies after every epoch. */
export interface Trial {
  /** 1-based, in the order the trials ran. */
  trial: number;
  /** The learning rate drawn, 10^U(−6, −2) by default. */
  lr: number;
  /** The weight decay λ drawn, 10^U(−8, −4) by default. */
  weightDecay: number;
  /** The validation split's accuracy (a fraction) after each epoch: the book's `val_acc_list`. */
  validationAccuracy: number[];
  /** The accuracy on the training samples after each epoch: the book's `train_acc_list`. */
  trainAccuracy: number[];
}

/** The settings of `randomSearch`; the defaults are `ch06/hyperparameter_optimization.py`'s. */
export interface RandomSearchOptions {
  /** Default the book's 100. */
  trials?: number;
  /** Epochs per trial; default 50. */
  epochs?: number;
  /** Samples per batch; default the book's 100. */
  batchSize?: number;
  /** The first training samples used; default the book's 500. */
  samples?: number;
  /** The share of them held out for validation; default 0.2. */
  validationFraction?: number;
  /** Default the book's six hidden layers of 100. */
  hiddenSizeList?: number[];
  /** log10 of the learning rate is drawn uniformly from this range; default [−6, −2]. */
  lrExponents?: readonly [number, number];
  /** log10 of the weight decay λ is drawn uniformly from this range; default [−8, −4]. */
  weightDecayExponents?: readonly [number, number];
  /** Seeds the split, the draws, the weights and the batches; default 1. */
  seed?: number;
  /** After each trial. */
  onTrial?(trial: Trial): void | Promise<void>;
}

/**
 * The book's `ch06/hyperparameter_optimization.py` (section 6.5.3, figure 6-24): random search of
 * the weight decay (10^U(−8, −4)) and the learning rate (10^U(−6, −2)), drawn in that order, for
 * a 7-layer MLP (six hidden layers of 100) trained by SGD for 50 epochs on 400 of the first 500
 * MNIST training images and scored on the other 100 — a validation split carved from the training
 * set, never the test set. Resolves with the trials sorted by final validation accuracy, best
 * first (as the book lists its top 20).
 */
export async function randomSearch(
  train: ArrayDataset,
  {
    trials = 100,
    epochs = 50,
    batchSize = 100,
    samples = 500,
    validationFraction = 0.2,
    hiddenSizeList = [100, 100, 100, 100, 100, 100],
    lrExponents = [-6, -2],
    weightDecayExponents = [-8, -4],
    seed = 1,
    onTrial,
  }: RandomSearchOptions = {},
): Promise<Trial[]> {
  const subset = train.subset(Array.from({ length: Math.min(samples, train.length) }, (_, i) => i));
  const split = trainValidationSplit(subset, { validationFraction, seed });
  const draws = new RandomGenerator(seed);
  const uniform = ([low, high]: readonly [number, number]) => low + draws.uniform() * (high - low);
  const results: Trial[] = [];
  for (let t = 0; t < trials; t++) {
    const weightDecay = 10 ** uniform(weightDecayExponents);
    const lr = 10 ** uniform(lrExponents);
    manualSeed(seed + t);
    const network = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList,
      outputSize: 10,
      weightDecayLambda: weightDecay,
    });
    // The book hands the validation set to its Trainer as the "test" data.
    const { trainAccuracy, testAccuracy } = await runBookTrainer(
      network,
      split.train,
      split.validation,
      {
        optimizer: new SGD(network.parameters(), { lr }),
        epochs,
        miniBatchSize: batchSize,
        seed: seed + t,
      },
    );
    const trial: Trial = {
      trial: t + 1,
      lr,
      weightDecay,
      validationAccuracy: testAccuracy,
      trainAccuracy,
    };
    results.push(trial);
    await onTrial?.(trial);
  }
  // A stable sort: equal accuracies keep the order they ran in, as Python's sorted.
  return results.sort((a, b) => b.validationAccuracy.at(-1)! - a.validationAccuracy.at(-1)!);
}
