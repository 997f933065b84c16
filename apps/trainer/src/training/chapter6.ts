import { type ArrayDataset, DataLoader, trainValidationSplit } from '@scratchnet/datasets';
import { MultiLayerNet } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed, RandomGenerator } from '@scratchnet/tensor';
import { Trainer } from '@scratchnet/training';
import { createOptimizer, type OptimizerName } from './choices.js';

export interface OptimizerRace {
  optimizer: OptimizerName;
  lr: number;
  /** The training loss at every iteration. */
  losses: number[];
}

/**
 * The book's `ch06/optimizer_compare_mnist.py`: the same 5-layer MLP (four hidden layers of 100,
 * ReLU, He init) trained from the same start by SGD, Momentum, AdaGrad and Adam (the book's
 * learning rates), recording the loss at every iteration.
 */
export function compareOptimizers(
  train: ArrayDataset,
  {
    iterations = 2000,
    batchSize = 128,
    seed = 1,
    onProgress,
  }: {
    iterations?: number;
    batchSize?: number;
    seed?: number;
    onProgress?: (race: OptimizerRace, i: number) => void;
  } = {},
): OptimizerRace[] {
  const contenders: [OptimizerName, number][] = [
    ['sgd', 0.01],
    ['momentum', 0.01],
    ['adagrad', 0.01],
    ['adam', 0.001],
  ];
  return contenders.map(([name, lr]) => {
    manualSeed(seed);
    const network = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList: [100, 100, 100, 100],
      outputSize: 10,
    });
    const optimizer = createOptimizer(name, network.parameters(), { lr, weightDecay: 0 });
    // Every contender sees the same batches in the same order.
    const loader = new DataLoader(train, { batchSize, shuffle: true, seed, dropLast: true });
    const race: OptimizerRace = { optimizer: name, lr, losses: [] };
    while (race.losses.length < iterations) {
      for (const { x, labels } of loader) {
        optimizer.zeroGrad();
        const loss = network.loss(x, labels);
        loss.backward();
        optimizer.step();
        race.losses.push(loss.item());
        onProgress?.(race, race.losses.length);
        if (race.losses.length === iterations) break;
      }
    }
    return race;
  });
}

/** The book's `smooth_curve`: a Kaiser-window moving average (window 11, β 2), for plotting. */
export function smoothCurve(values: readonly number[]): number[] {
  const windowLength = 11;
  const beta = 2;
  if (values.length < windowLength) return [...values];
  // Reflect the ends as numpy's r_[x[window-1:0:-1], x, x[-1:-window:-1]] does.
  const padded = [
    ...values.slice(1, windowLength).reverse(),
    ...values,
    ...values.slice(values.length - windowLength, values.length - 1).reverse(),
  ];
  const bessel0 = (x: number) => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  const weights = Array.from({ length: windowLength }, (_, n) => {
    const r = (2 * n) / (windowLength - 1) - 1;
    return bessel0(beta * Math.sqrt(1 - r * r)) / bessel0(beta);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const smoothed = padded
    .slice(0, padded.length - windowLength + 1)
    .map((_, i) => weights.reduce((sum, w, j) => sum + w * padded[i + j]!, 0) / total);
  // numpy's convolve 'valid' then [5:len-5] keeps one value per input value.
  return smoothed.slice(5, smoothed.length - 5);
}

export interface Trial {
  trial: number;
  lr: number;
  weightDecay: number;
  /** Validation accuracy after every epoch. */
  validationAccuracy: number[];
  trainAccuracy: number[];
}

/**
 * The book's `ch06/hyperparameter_optimization.py`: random search of the learning rate
 * (10^U(−6, −2)) and weight decay (10^U(−8, −4)) for a 6×100 MLP trained with SGD on a small
 * training subset, scored on a validation split carved from the training set — never the test
 * set. Returns the trials sorted by final validation accuracy, best first.
 */
export async function randomSearch(
  train: ArrayDataset,
  {
    trials = 100,
    epochs = 50,
    batchSize = 100,
    samples = 500,
    validationFraction = 0.2,
    seed = 1,
    onTrial,
  }: {
    trials?: number;
    epochs?: number;
    batchSize?: number;
    samples?: number;
    validationFraction?: number;
    seed?: number;
    onTrial?: (trial: Trial) => void;
  } = {},
): Promise<Trial[]> {
  const subset = train.subset(Array.from({ length: Math.min(samples, train.length) }, (_, i) => i));
  const split = trainValidationSplit(subset, { validationFraction, seed });
  const draws = new RandomGenerator(seed);
  const results: Trial[] = [];
  for (let t = 0; t < trials; t++) {
    const lr = 10 ** (draws.uniform() * 4 - 6);
    const weightDecay = 10 ** (draws.uniform() * 4 - 8);
    manualSeed(seed + t);
    const network = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList: [100, 100, 100, 100, 100, 100],
      outputSize: 10,
      weightDecayLambda: weightDecay,
    });
    const { history } = await new Trainer(network, split.train, {
      optimizer: new SGD(network.parameters(), { lr }),
      epochs,
      batchSize,
      seed: seed + t,
      validation: split.validation,
      // The book scores the whole (small) training split after every epoch.
      trainEvalSamples: split.train.length,
      logEvery: 100,
    }).fit();
    const trial: Trial = {
      trial: t + 1,
      lr,
      weightDecay,
      validationAccuracy: history.map((r) => r.validationAccuracy!),
      trainAccuracy: history.map((r) => r.trainAccuracy!),
    };
    results.push(trial);
    onTrial?.(trial);
  }
  return results.sort((a, b) => b.validationAccuracy.at(-1)! - a.validationAccuracy.at(-1)!);
}
