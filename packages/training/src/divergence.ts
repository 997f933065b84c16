/**
 * Telling from the per-step losses alone that training has gone wrong, the way a person reading
 * the loss curve would: a NaN or infinite loss, a loss far above where it started, or a loss that
 * jumped (or fell and came back) and then stays flat at its starting level: the network has
 * stopped learning (SGD with lr 10 on MNIST: loss 12.9 at step 2, then flat at 2.3 with every
 * prediction the same digit). A loss that merely falls slowly is not flagged.
 */

/**
 * How a run went wrong: 'non-finite' (a NaN or infinite loss), 'exploding' (the recent loss far
 * above the first) or 'stuck' (the loss jumped, or fell and came back, and stays at its start).
 */
export type DivergenceKind = 'non-finite' | 'exploding' | 'stuck';

/** A divergence found in a run's per-step losses, by `DivergenceWatch` or `detectDivergence`. */
export interface Divergence {
  /** Which of the three ways the run went wrong. */
  kind: DivergenceKind;
  /** The 1-based step (counted from the first loss given) where it was seen. */
  step: number;
  /** The first step's loss. */
  startLoss: number;
  /** The mean loss of the last `window` steps (the non-finite value itself for 'non-finite'). */
  recentLoss: number;
  /** The highest loss so far. */
  peakLoss: number;
  /** An explanation in English, without advice: `the loss is NaN at step 12`. */
  message: string;
}

/** The thresholds of `DivergenceWatch` and `detectDivergence`; the defaults suit MNIST runs. */
export interface DivergenceOptions {
  /** Steps averaged for the recent loss; default 50. */
  window?: number;
  /** 'exploding' when the recent loss exceeds the start × this; default 1.5. */
  explodingRatio?: number;
  /** 'stuck' needs at least this many steps; default 100. */
  minSteps?: number;
  /** 'stuck': the recent loss is no lower than the start × this; default 0.97. */
  flatRatio?: number;
  /** 'stuck' also needs a jump: a loss above the start × this at some step; default 1.15. */
  jumpRatio?: number;
  /** …or a fall and a return: a 10-step mean below the start × this at some point; default 0.8. */
  learnedRatio?: number;
}

const DEFAULTS: Required<DivergenceOptions> = {
  window: 50,
  explodingRatio: 1.5,
  minSteps: 100,
  flatRatio: 0.97,
  jumpRatio: 1.15,
  learnedRatio: 0.8,
};
/** Steps in the short mean that tells a loss that had fallen. */
const SHORT = 10;

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/**
 * Thrown by `fit` and `Trainer` (with `onDivergence: 'stop'`, the default) when the loss diverges:
 * it names the step and what was seen, and says what to change.
 */
export class DivergenceError extends Error {
  /** `'DivergenceError'`, so the error can be told apart by name. */
  override name = 'DivergenceError';
  constructor(
    message: string,
    /** What the watch saw; its `step` counts the losses it was given. */
    readonly divergence: Divergence,
    /** The optimizer step (1-based, over the whole run) where it was seen. */
    readonly step: number,
  ) {
    super(message);
  }
}

/**
 * Watches a run's losses one by one (`push`), in constant time per step, and reports the first
 * divergence it sees (then keeps reporting that one). `detectDivergence` is the same over an array.
 */
export class DivergenceWatch {
  private readonly options: Required<DivergenceOptions>;
  private readonly recent: number[] = [];
  private readonly short: number[] = [];
  private recentSum = 0;
  private shortSum = 0;
  private count = 0;
  private start = Number.NaN;
  private peak = Number.NEGATIVE_INFINITY;
  private lowestShort = Number.POSITIVE_INFINITY;
  private found: Divergence | null = null;

  constructor(options: DivergenceOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The divergence seen so far, or null. */
  get divergence(): Divergence | null {
    return this.found;
  }

  /** Losses seen. */
  get steps(): number {
    return this.count;
  }

  /** Adds the next step's loss; returns the divergence seen so far (null while all is well). */
  push(loss: number): Divergence | null {
    if (this.found) return this.found;
    this.count++;
    const step = this.count;
    if (!Number.isFinite(loss)) {
      this.found = {
        kind: 'non-finite',
        step,
        startLoss: this.start,
        recentLoss: loss,
        peakLoss: this.peak,
        message: `the loss is ${loss} at step ${step}`,
      };
      return this.found;
    }
    if (step === 1) this.start = loss;
    this.peak = Math.max(this.peak, loss);
    const { window, explodingRatio, minSteps, flatRatio, jumpRatio, learnedRatio } = this.options;
    this.recent.push(loss);
    this.recentSum += loss;
    if (this.recent.length > window) this.recentSum -= this.recent.shift()!;
    this.short.push(loss);
    this.shortSum += loss;
    if (this.short.length > SHORT) this.shortSum -= this.short.shift()!;
    if (this.short.length === SHORT)
      this.lowestShort = Math.min(this.lowestShort, this.shortSum / SHORT);
    if (this.recent.length < window) return null;

    const recentLoss = this.recentSum / window;
    const start = this.start;
    const base = { step, startLoss: start, recentLoss, peakLoss: this.peak };
    if (recentLoss > start * explodingRatio) {
      this.found = {
        kind: 'exploding',
        ...base,
        message: `the mean loss of the last ${window} steps is ${fmt(recentLoss)}, far above the first step's ${fmt(start)} (step ${step})`,
      };
    } else if (step >= minSteps && recentLoss >= start * flatRatio) {
      if (this.lowestShort < start * learnedRatio) {
        this.found = {
          kind: 'stuck',
          ...base,
          message: `the loss fell to ${fmt(this.lowestShort)}, then rose back to ${fmt(recentLoss)}, no lower than the first step's ${fmt(start)} (step ${step})`,
        };
      } else if (this.peak > start * jumpRatio) {
        this.found = {
          kind: 'stuck',
          ...base,
          message: `the loss jumped to ${fmt(this.peak)} and stays at ${fmt(recentLoss)}, no lower than the first step's ${fmt(start)} (step ${step})`,
        };
      }
    }
    return this.found;
  }
}

/** The first divergence in a run's per-step losses (see `DivergenceWatch`), or null. */
export function detectDivergence(
  losses: ArrayLike<number>,
  options: DivergenceOptions = {},
): Divergence | null {
  const watch = new DivergenceWatch(options);
  for (let i = 0; i < losses.length; i++) {
    if (watch.push(losses[i]!)) break;
  }
  return watch.divergence;
}
