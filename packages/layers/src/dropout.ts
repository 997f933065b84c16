import { defaultGenerator, type RandomGenerator, rand, type Tensor } from '@scratchnet/tensor';
import { Module } from './module.js';

/**
 * How `Dropout` keeps the expected value: PyTorch's inverted dropout or the book's (section 6.4.3).
 */
export type DropoutStyle = 'inverted' | 'book';

/**
 * Randomly zeroes a fraction `p` of the values while training.
 *
 * Two conventions keep the expected value the same between training and inference:
 * - `'inverted'` (PyTorch, the default): scale the kept values by 1/(1 − p) while training, do
 *   nothing at inference;
 * - `'book'` (the book's chapter 6.4 Dropout): no scaling while training, multiply by (1 − p) at
 *   inference — needed to run weights trained by the book's code as the book does.
 */
export class Dropout extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Dropout';

  constructor(
    /** The fraction of values zeroed while training, in [0, 1) (the book's `dropout_ratio`). */
    readonly p = 0.5,
    /** Where the scaling happens: while training (`'inverted'`) or at inference (`'book'`). */
    readonly style: DropoutStyle = 'inverted',
    private readonly generator: RandomGenerator = defaultGenerator,
  ) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
  }

  forward(x: Tensor): Tensor {
    const keep = 1 - this.p;
    if (!this.training) return this.style === 'book' ? x.mul(keep) : x;
    if (this.p === 0) return x;
    const mask = rand(x.shape, { generator: this.generator }).gt(this.p); // the book: rand > ratio keeps a value
    return this.style === 'book' ? x.mul(mask) : x.mul(mask.div(keep));
  }
}
