import type { Optimizer } from './optimizer.js';

/** A learning rate as a function of the step (or epoch) count, starting at 0. */
export type Schedule = (step: number) => number;

/**
 * Multiplies the rate by `gamma` every `stepSize` steps, as PyTorch's StepLR.
 * @example stepDecay(0.1, 10, 0.5)(25) // 0.025
 */
export function stepDecay(initialLr: number, stepSize: number, gamma = 0.1): Schedule {
  if (!(stepSize >= 1)) throw new RangeError(`stepDecay: stepSize must be ≥ 1, got ${stepSize}`);
  return (step) => initialLr * gamma ** Math.floor(step / stepSize);
}

/**
 * Half a cosine from `initialLr` down to `minLr` over `totalSteps`, as PyTorch's
 * CosineAnnealingLR (without restarts); it stays at `minLr` afterwards.
 */
export function cosineAnnealing(initialLr: number, totalSteps: number, minLr = 0): Schedule {
  if (!(totalSteps >= 1))
    throw new RangeError(`cosineAnnealing: totalSteps must be ≥ 1, got ${totalSteps}`);
  return (step) =>
    minLr +
    ((initialLr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps))) / 2;
}

/**
 * Rises linearly from lr·startFactor to lr over `warmupSteps`, then follows `after` (counted from
 * the end of the warm-up), or stays at lr.
 */
export function linearWarmup(
  lr: number,
  warmupSteps: number,
  after?: Schedule,
  startFactor = 1 / Math.max(warmupSteps, 1),
): Schedule {
  return (step) => {
    if (step < warmupSteps) return lr * (startFactor + ((1 - startFactor) * step) / warmupSteps);
    return after ? after(step - warmupSteps) : lr;
  };
}

/**
 * Drives an optimizer's learning rate from a schedule: call `step()` once per optimizer step (or
 * per epoch, if the schedule counts epochs).
 */
export class LrScheduler {
  /** How many times `step()` has been called; saved in checkpoints. */
  count = 0;

  /** Sets the optimizer's rate to `schedule(0)` at once. */
  constructor(
    /** The optimizer whose `lr` it sets. */
    readonly optimizer: Optimizer,
    /** The rate at each count. */
    readonly schedule: Schedule,
  ) {
    optimizer.lr = schedule(0);
  }

  /** Advances the count and sets the optimizer's rate to the schedule's value there. */
  step(): void {
    this.count++;
    this.optimizer.lr = this.schedule(this.count);
  }
}
