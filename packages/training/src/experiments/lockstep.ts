import type { Batch, BatchSource } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import type { Optimizer } from '@scratchnet/optimizers';
import { noGrad, RandomGenerator, scope, stack } from '@scratchnet/tensor';
import { nextMacrotask } from '../next-macrotask.js';

/** A network and the optimizer that updates it, named as the book's dictionaries key them. */
export interface Contender {
  /** The key of its curve, e.g. 'SGD' or 'Xavier'. */
  name: string;
  /** The network trained. */
  network: Network;
  /** The optimizer over the network's parameters. */
  optimizer: Optimizer;
}

/** How long `trainInLockstep` trains, on which batches, and what it calls after each step. */
export interface LockstepOptions {
  /** Iterations, each one batch for every contender (the book's `max_iterations`). */
  iterations: number;
  /** Samples per batch. */
  batchSize: number;
  /** Seeds the batch draws; default 1. */
  seed?: number;
  /**
   * After every contender took iteration `i`'s step (0-based), with the batch they trained on.
   * Returning `true` (or a promise of it) ends the training there.
   */
  afterStep?(i: number, batch: Batch): boolean | undefined | Promise<boolean | undefined>;
  /**
   * Cancels the training: checked before every iteration, it rejects with the signal's reason
   * (an `AbortError` unless given), as `fetch` does. A page stops an experiment with it.
   */
  signal?: AbortSignal;
}

/** The book's `np.random.choice(n, size)`: `size` indices in [0, n), drawn with replacement. */
export function drawBatchIndices(random: RandomGenerator, n: number, size: number): Int32Array {
  return Int32Array.from({ length: size }, () => random.integer(n));
}

/**
 * Trains networks side by side on the same batches, as the book's chapter-6 comparisons do
 * (`optimizer_compare_mnist.py`, `weight_init_compare.py`, `batch_norm_test.py`): every iteration
 * draws one batch as `np.random.choice` does (with replacement) and each contender takes one step
 * on it with its own optimizer. Resolves with the number of iterations run.
 */
export async function trainInLockstep(
  train: BatchSource<Batch>,
  contenders: readonly Pick<Contender, 'network' | 'optimizer'>[],
  { iterations, batchSize, seed = 1, afterStep, signal }: LockstepOptions,
): Promise<number> {
  const random = new RandomGenerator(seed);
  for (let i = 0; i < iterations; i++) {
    signal?.throwIfAborted();
    const batch = train.batch(drawBatchIndices(random, train.length, batchSize));
    let stop: boolean | undefined;
    try {
      for (const { network, optimizer } of contenders) {
        network.train();
        optimizer.zeroGrad();
        scope(() => network.loss(batch.x, batch.labels).backward());
        optimizer.step();
      }
      stop = await afterStep?.(i, batch);
    } finally {
      batch.x.dispose();
      batch.y.dispose();
    }
    if (stop) return i + 1;
    // A macrotask between iterations, as the Trainer: signals get their turn.
    await nextMacrotask();
  }
  return iterations;
}

/** A contender's training loss at every iteration. */
export interface LossCurve {
  /** The contender's name. */
  name: string;
  /** The training loss after each iteration's update, one per iteration. */
  losses: number[];
}

/** `trainInLockstep`'s options, with a callback for every iteration's losses. */
export interface LossRaceOptions extends Omit<LockstepOptions, 'afterStep'> {
  /** After iteration `i` (0-based), with every contender's loss by name. */
  onIteration?(i: number, losses: Readonly<Record<string, number>>): void | Promise<void>;
}

/**
 * `trainInLockstep`, recording each contender's loss at every iteration as the book does: on the
 * iteration's batch, just after the update (`train_loss[key].append(networks[key].loss(x_batch,
 * t_batch))`). Figures 6-9 and 6-15 plot these, smoothed (`smoothCurve`).
 */
export async function lossRace(
  train: BatchSource<Batch>,
  contenders: readonly Contender[],
  { onIteration, ...options }: LossRaceOptions,
): Promise<LossCurve[]> {
  const curves = contenders.map(({ name }) => ({ name, losses: [] as number[] }));
  await trainInLockstep(train, contenders, {
    ...options,
    afterStep: async (i, { x, labels }) => {
      // All the losses in one read.
      const losses = noGrad(() =>
        scope(() => stack(contenders.map(({ network }) => network.loss(x, labels)))),
      );
      let values: Float32Array;
      try {
        values = await losses.dataAsync();
      } finally {
        losses.dispose();
      }
      const byName: Record<string, number> = {};
      curves.forEach((curve, k) => {
        curve.losses.push(values[k]!);
        byName[curve.name] = values[k]!;
      });
      await onIteration?.(i, byName);
      return false;
    },
  });
  return curves;
}
