import { RandomGenerator } from '@scratchnet/tensor';

/** A dataset that can be cut into views (ArrayDataset is one). */
export interface Subsettable<T> {
  /** The number of samples. */
  readonly length: number;
  /** A view of the samples at `indices`, in that order. */
  subset(indices: ArrayLike<number>): T;
}

/** Options of `randomSplit`. */
export interface SplitOptions {
  /** Seeds the shuffle before splitting; default 0. Ignored when `generator` is given. */
  seed?: number;
  /** Draw the shuffle from this generator instead. */
  generator?: RandomGenerator;
}

/**
 * Sizes from counts (which must add up to `total`) or from fractions (which must add up to 1;
 * the remainder after flooring goes one by one to the first parts, as PyTorch does).
 */
function resolveSizes(sizes: readonly number[], total: number): number[] {
  if (sizes.length === 0) throw new RangeError('randomSplit: give at least one size');
  if (sizes.some((size) => !(size >= 0))) {
    throw new RangeError(`randomSplit: sizes must be non-negative, got [${sizes}]`);
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sizes.every(Number.isInteger) && sum === total) return [...sizes];
  if (Math.abs(sum - 1) < 1e-9 && sizes.every((size) => size <= 1)) {
    const counts = sizes.map((fraction) => Math.floor(fraction * total));
    let remainder = total - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i]!++;
    return counts;
  }
  throw new RangeError(
    `randomSplit: sizes [${sizes}] neither add up to the dataset's ${total} samples nor are fractions adding up to 1`,
  );
}

/**
 * Shuffles the samples (seeded) and cuts them into parts of the given sizes: counts, or fractions
 * adding up to 1. Each part is a view (`subset`) sharing the dataset's arrays.
 *
 * @example
 * const [train, validation] = randomSplit(mnist.train.dataset, [50_000, 10_000], { seed: 1 });
 * const [a, b, c] = randomSplit(dataset, [0.8, 0.1, 0.1]);
 */
export function randomSplit<T>(
  dataset: Subsettable<T>,
  sizes: readonly number[],
  options: SplitOptions = {},
): T[] {
  const counts = resolveSizes(sizes, dataset.length);
  const generator = options.generator ?? new RandomGenerator(options.seed ?? 0);
  const order = generator.permutation(dataset.length);
  const parts: T[] = [];
  let start = 0;
  for (const count of counts) {
    parts.push(dataset.subset(order.subarray(start, start + count)));
    start += count;
  }
  return parts;
}

/** Options of `trainValidationSplit`. */
export interface TrainValidationSplitOptions extends SplitOptions {
  /** The share of samples held out for validation, in (0, 1); default 0.2. */
  validationFraction?: number;
  /** Or an exact number of validation samples (takes precedence over the fraction). */
  validationSize?: number;
}

/**
 * Holds out a random share of a dataset for validation (the book's chapter 6 uses 20% of the
 * training set to tune hyperparameters).
 *
 * @example
 * const { train, validation } = trainValidationSplit(mnist.train.dataset, { validationSize: 10_000 });
 * train.length; // 50000
 */
export function trainValidationSplit<T>(
  dataset: Subsettable<T>,
  options: TrainValidationSplitOptions = {},
): {
  /** The samples kept for training. */
  train: T;
  /** The samples held out. */
  validation: T;
} {
  const total = dataset.length;
  const validationSize =
    options.validationSize ?? Math.round(total * (options.validationFraction ?? 0.2));
  if (!Number.isInteger(validationSize) || validationSize < 0 || validationSize > total) {
    throw new RangeError(
      `trainValidationSplit: validation size ${validationSize} is not in [0, ${total}]`,
    );
  }
  const [train, validation] = randomSplit(
    dataset,
    [total - validationSize, validationSize],
    options,
  );
  return { train: train!, validation: validation! };
}
