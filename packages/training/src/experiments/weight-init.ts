import type { Batch, BatchSource } from '@scratchnet/datasets';
import { MultiLayerNet, type MultiLayerNetOptions } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed } from '@scratchnet/tensor';
import { type LossCurve, type LossRaceOptions, lossRace } from './lockstep.js';

/**
 * The initial weights `ch06/weight_init_compare.py` compares, by the book's names: a standard
 * deviation of 0.01, Xavier (√(1/n), the book's `'sigmoid'`) and He (√(2/n), `'relu'`).
 */
export const BOOK_WEIGHT_INITS: readonly {
  /** The curve's label in figure 6-15. */
  name: string;
  /** The `MultiLayerNet` option that gives it: a standard deviation, 'sigmoid' or 'relu'. */
  weightInitStd: NonNullable<MultiLayerNetOptions['weightInitStd']>;
}[] = [
  { name: 'std=0.01', weightInitStd: 0.01 },
  { name: 'Xavier', weightInitStd: 'sigmoid' },
  { name: 'He', weightInitStd: 'relu' },
];

/** The settings of `compareWeightInits`; the defaults are `ch06/weight_init_compare.py`'s. */
export interface CompareWeightInitsOptions extends Partial<Omit<LossRaceOptions, 'seed'>> {
  /** The hidden layers; default the book's four of 100, ReLU. */
  hiddenSizeList?: number[];
  /** SGD's learning rate; default the book's 0.01. */
  lr?: number;
  /** Seeds the initial weights and the batches; default 1. */
  seed?: number;
  /** After iteration `i` (0-based), with every initialisation's loss by name. */
  onIteration?(i: number, losses: Readonly<Record<string, number>>): void | Promise<void>;
}

/**
 * The book's `ch06/weight_init_compare.py` (section 6.2.4, figure 6-15): the same 5-layer ReLU MLP
 * started from std 0.01, Xavier and He weights, trained side by side by SGD (lr 0.01) on the same
 * MNIST batches of 128 for 2000 iterations. With std 0.01 the loss stays at ln 10 ≈ 2.30 (the
 * signal dies out in the deep layers); He learns fastest. Resolves with the loss of each at every
 * iteration (`lossRace`).
 */
export async function compareWeightInits(
  train: BatchSource<Batch>,
  {
    iterations = 2000,
    batchSize = 128,
    hiddenSizeList = [100, 100, 100, 100],
    lr = 0.01,
    seed = 1,
    onIteration,
    signal,
  }: CompareWeightInitsOptions = {},
): Promise<LossCurve[]> {
  manualSeed(seed);
  const contenders = BOOK_WEIGHT_INITS.map(({ name, weightInitStd }) => {
    const network = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList,
      outputSize: 10,
      weightInitStd,
    });
    return { name, network, optimizer: new SGD(network.parameters(), { lr }) };
  });
  return lossRace(train, contenders, { iterations, batchSize, seed, onIteration, signal });
}
