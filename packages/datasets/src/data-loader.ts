import { RandomGenerator, type RandomState } from '@scratchnet/tensor';
import type { Batch, BatchSource } from './dataset.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch (the book uses 100). */
  batchSize: number;
  /** Visit the samples in a new random order every epoch; default false (in order). */
  shuffle?: boolean;
  /**
   * With `shuffle`: draw every sample independently and uniformly, with replacement, instead of
   * a permutation (PyTorch's `RandomSampler(replacement=True)`, and the book's `Trainer`, which
   * picks each batch with `np.random.choice(train_size, batch_size)`). An epoch is still
   * `length` batches; some samples come twice and others not at all. Default false.
   */
  replacement?: boolean;
  /** Skip the last batch when it would be smaller than `batchSize`; default false. */
  dropLast?: boolean;
  /**
   * Seeds the shuffle: epoch e's order is a pure function of (seed, e), so any epoch can be
   * replayed on its own. Default 0. Ignored when `generator` is given.
   */
  seed?: number;
  /**
   * Draw each epoch's order from this generator instead (its stream moves on by one permutation
   * per epoch). `getState()` captures it, so a checkpoint still resumes exactly.
   */
  generator?: RandomGenerator;
}

/** Where a `DataLoader` is: enough to resume mid-epoch with the exact same batches. */
export interface DataLoaderState {
  /** The epoch the next batch belongs to (0-based). */
  epoch: number;
  /** How many of that epoch's batches have been handed out already. */
  batchIndex: number;
  /**
   * With a `generator`: its state just before it drew this epoch's order. Null with a `seed` or
   * without shuffling (the order is recomputed from the seed and the epoch).
   */
  randomState: RandomState | null;
}

/** A 32-bit mix of two integers (the murmur3 finaliser), to derive one seed per epoch. */
function mixSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 0x632be5ab, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** n indices drawn uniformly from [0, n), independently. */
function drawWithReplacement(random: RandomGenerator, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = random.integer(n);
  return order;
}

/**
 * Iterates over a dataset in batches, one epoch per `for…of`, as the book's training loops do with
 * `np.random.choice` but covering every sample exactly once per epoch (or, with `replacement`,
 * exactly as the book's `Trainer` draws them). The shuffle is seeded, and
 * `getState`/`setState` let a checkpoint resume in the middle of an epoch with the same batches.
 *
 * Breaking out of a `for…of` keeps the position: the next loop continues the same epoch.
 *
 * @example
 * const { train } = loadMnist();
 * const loader = new DataLoader(train.dataset, { batchSize: 100, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const { x, y } of loader) {
 *     // x: [100, 784], y: [100] class indices
 *   }
 * }
 * loader.length; // 600 batches per epoch
 */
export class DataLoader<TBatch = Batch> implements Iterable<TBatch> {
  /** What it batches. */
  readonly dataset: BatchSource<TBatch>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch visits the samples in a new random order. */
  readonly shuffle: boolean;
  /** Whether samples are drawn with replacement (the book's `Trainer`). */
  readonly replacement: boolean;
  /** Whether a last, smaller batch is skipped. */
  readonly dropLast: boolean;
  private readonly seed: number;
  private readonly generator: RandomGenerator | null;
  private epochValue = 0;
  private batchIndexValue = 0;
  /** This epoch's order, once drawn, and the generator state it was drawn from. */
  private order: Int32Array | null = null;
  private orderRandomState: RandomState | null = null;
  private iterating = false;

  /** A loader over `dataset`; it draws nothing until iterated. */
  constructor(dataset: BatchSource<TBatch>, options: DataLoaderOptions) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.replacement = options.replacement ?? false;
    if (this.replacement && !this.shuffle) {
      throw new Error('DataLoader: replacement sampling needs shuffle: true');
    }
    this.dropLast = options.dropLast ?? false;
    this.seed = options.seed ?? 0;
    this.generator = options.generator ?? null;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The epoch the next batch belongs to (0-based). */
  get epoch(): number {
    return this.epochValue;
  }

  /** Batches of the current epoch handed out so far. */
  get batchIndex(): number {
    return this.batchIndexValue;
  }

  /**
   * Jumps to the start of `epoch` (as PyTorch's `sampler.set_epoch`). With a `seed` the order is
   * that epoch's; with a `generator`, the next draw from it.
   */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new RangeError(`DataLoader: epoch must be a non-negative integer, got ${epoch}`);
    }
    this.assertIdle('setEpoch');
    this.epochValue = epoch;
    this.batchIndexValue = 0;
    this.order = null;
    this.orderRandomState = null;
  }

  /** The sample order of the current epoch (drawn now if it has not been yet). */
  epochOrder(): Int32Array {
    if (this.order === null) {
      const n = this.dataset.length;
      if (!this.shuffle) {
        this.order = new Int32Array(n);
        for (let i = 0; i < n; i++) this.order[i] = i;
      } else {
        if (this.generator !== null) this.orderRandomState = this.generator.getState();
        const random = this.generator ?? new RandomGenerator(mixSeed(this.seed, this.epochValue));
        this.order = this.replacement ? drawWithReplacement(random, n) : random.permutation(n);
      }
    }
    return this.order;
  }

  /** The position to save in a checkpoint. */
  getState(): DataLoaderState {
    let randomState: RandomState | null = null;
    if (this.shuffle && this.generator !== null) {
      randomState = this.order !== null ? this.orderRandomState : this.generator.getState();
    }
    return { epoch: this.epochValue, batchIndex: this.batchIndexValue, randomState };
  }

  /** Restores a position saved by `getState` (on a loader built with the same options). */
  setState(state: DataLoaderState): void {
    this.assertIdle('setState');
    const { epoch, batchIndex, randomState } = state;
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new RangeError(`DataLoader.setState: bad epoch ${epoch}`);
    }
    if (!Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex > this.length) {
      throw new RangeError(
        `DataLoader.setState: batchIndex ${batchIndex} is outside [0, ${this.length}]`,
      );
    }
    if (this.shuffle && this.generator !== null) {
      if (randomState === null) {
        throw new Error('DataLoader.setState: the state has no randomState for the generator');
      }
      this.generator.setState(randomState);
    }
    this.epochValue = epoch;
    this.batchIndexValue = batchIndex;
    this.order = null;
    this.orderRandomState = null;
  }

  /** Hands out the rest of the current epoch's batches, then moves on to the next epoch. */
  *[Symbol.iterator](): Iterator<TBatch> {
    this.assertIdle('iterate');
    this.iterating = true;
    try {
      const order = this.epochOrder();
      const total = this.length;
      if (this.batchIndexValue >= total) {
        this.advanceEpoch();
        return;
      }
      for (let index = this.batchIndexValue; index < total; index++) {
        const start = index * this.batchSize;
        const indices = order.subarray(start, Math.min(start + this.batchSize, order.length));
        const batch = this.dataset.batch(indices);
        // Count the batch before handing it out, so a checkpoint taken while processing it
        // resumes at the next one (and after the last, at the next epoch).
        if (index + 1 === total) this.advanceEpoch();
        else this.batchIndexValue = index + 1;
        yield batch;
      }
    } finally {
      this.iterating = false;
    }
  }

  private advanceEpoch(): void {
    this.epochValue++;
    this.batchIndexValue = 0;
    this.order = null;
    this.orderRandomState = null;
  }

  private assertIdle(action: string): void {
    if (this.iterating) {
      throw new Error(`DataLoader: cannot ${action} while a for…of over this loader is running`);
    }
  }
}
