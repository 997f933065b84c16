/**
 * A {@link RandomGenerator}'s whole state, from `getState()`: saved in checkpoints so that a
 * resumed run draws the same numbers.
 */
export interface RandomState {
  /** The four 32-bit words of xoshiro128**. */
  readonly words: [number, number, number, number];
  /** A spare normal value from the last Box–Muller pair, or null. */
  readonly spareNormal: number | null;
}

/**
 * A seeded random generator whose streams are the same in Node and in every browser: xoshiro128**
 * on 32-bit integers (Math.imul and shifts are exact everywhere), and Box–Muller for normals.
 *
 * @example
 * const rng = new RandomGenerator(42);
 * rng.uniform(); // the same number on every platform, for seed 42
 */
export class RandomGenerator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** A generator seeded with `seed` (see `seed()`). */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Seeds all four words from one integer with splitmix32, as xoshiro's authors advise. */
  seed(seed: number): void {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (mean 0, std 1). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const u = 1 - this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  /** The generator's whole state, to restore later with `setState`. */
  getState(): RandomState {
    return {
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spare,
    };
  }

  /** Restores a state from `getState`: the generator then continues exactly where that one was. */
  setState(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.words.map((w) => w | 0) as [
      number,
      number,
      number,
      number,
    ];
    this.spare = state.spareNormal;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator behind `rand`, `randn`, dropout masks and default initialisers. */
export const defaultGenerator = new RandomGenerator(0);

/** Seeds the default generator, as `torch.manual_seed`. */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}
