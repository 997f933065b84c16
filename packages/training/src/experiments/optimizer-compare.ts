import type { Batch, BatchSource } from '@scratchnet/datasets';
import { MultiLayerNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { type LossCurve, type LossRaceOptions, lossRace } from './lockstep.js';
import { bookOptimizer, RACE_OPTIMIZERS, type RaceOptimizer } from './optimizer-race.js';

/** The learning rates of `ch06/optimizer_compare_mnist.py`: each optimizer's book default. */
export const BOOK_MNIST_LR: Readonly<Record<RaceOptimizer, number>> = {
  SGD: 0.01,
  Momentum: 0.01,
  AdaGrad: 0.01,
  Adam: 0.001,
};

/** The settings of `compareOptimizers`; the defaults are `ch06/optimizer_compare_mnist.py`'s. */
export interface CompareOptimizersOptions extends Partial<Omit<LossRaceOptions, 'seed'>> {
  /** The hidden layers; default the book's four of 100 (ReLU, He initialisation). */
  hiddenSizeList?: number[];
  /** Seeds the initial weights and the batches; default 1. */
  seed?: number;
  /** The optimizers and their learning rates; default all four at `BOOK_MNIST_LR`. */
  learningRates?: Partial<Record<RaceOptimizer, number>>;
  /** After iteration `i` (0-based), with every optimizer's loss by name. */
  onIteration?(i: number, losses: Readonly<Record<string, number>>): void | Promise<void>;
}

/**
 * The book's `ch06/optimizer_compare_mnist.py` (section 6.1.8, figure 6-9): a 5-layer MLP (four
 * hidden layers of 100, ReLU, He initialisation) for each of SGD, Momentum, AdaGrad and Adam at the
 * book's default learning rates, trained on the same MNIST batches of 128 for 2000 iterations.
 * The networks are built one after another from one seed, as the book builds them (so each starts
 * from its own weights). Resolves with each optimizer's loss at every iteration (`lossRace`).
 *
 * @example
 * const curves = await compareOptimizers(mnist.train.dataset, {
 *   onIteration: (i, losses) => i % 100 === 0 && console.log(i, losses),
 * });
 */
export async function compareOptimizers(
  train: BatchSource<Batch>,
  {
    iterations = 2000,
    batchSize = 128,
    hiddenSizeList = [100, 100, 100, 100],
    seed = 1,
    learningRates = BOOK_MNIST_LR,
    onIteration,
    signal,
  }: CompareOptimizersOptions = {},
): Promise<
  (LossCurve & {
    /** The optimizer. */
    name: RaceOptimizer;
    /** The learning rate it trained with. */
    lr: number;
  })[]
> {
  manualSeed(seed);
  const names = RACE_OPTIMIZERS.filter((name) => learningRates[name] !== undefined);
  const contenders = names.map((name) => {
    const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList, outputSize: 10 });
    const lr = learningRates[name]!;
    return { name, lr, network, optimizer: bookOptimizer(name, network.parameters(), lr) };
  });
  const curves = await lossRace(train, contenders, {
    iterations,
    batchSize,
    seed,
    onIteration,
    signal,
  });
  return curves.map((curve, k) => ({ ...curve, name: names[k]!, lr: contenders[k]!.lr }));
}
