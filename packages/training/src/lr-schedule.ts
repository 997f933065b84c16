import { cosineAnnealing, linearWarmup, type Schedule, stepDecay } from '@scratchnet/optimizers';

/** The schedules a run can name (a command-line flag, a saved checkpoint). */
export const lrScheduleTypes = ['constant', 'step', 'cosine'] as const;
/** The name of a schedule: one of {@link lrScheduleTypes}. */
export type LrScheduleType = (typeof lrScheduleTypes)[number];

/**
 * A learning-rate schedule as plain JSON, so a checkpoint can hold it and a resumed run rebuilds
 * the same one. Counted in optimizer steps internally; given here in epochs, as people say it.
 */
export interface LrScheduleSpec {
  /**
   * 'constant' keeps the rate; 'step' multiplies it by `gamma` every `stepEpochs` epochs
   * (PyTorch's StepLR); 'cosine' follows half a cosine down to `minLr` by the last step
   * (CosineAnnealingLR).
   */
  type: LrScheduleType;
  /** Epochs of linear warm-up from lr/warmup-steps up to lr before the schedule starts; default 0. */
  warmupEpochs?: number;
  /** 'step': epochs between two decays; default 1/3 of the run, at least 1. */
  stepEpochs?: number;
  /** 'step': the factor of each decay; default 0.1. */
  gamma?: number;
  /** 'cosine': the rate at the end; default 0. */
  minLr?: number;
}

/**
 * The schedule `spec` describes for a run of `epochs` × `stepsPerEpoch` optimizer steps starting
 * at `lr`: a function from the step count (0 = before the first step) to the learning rate.
 *
 * @example
 * const schedule = buildLrSchedule({ type: 'cosine', warmupEpochs: 1 }, 0.001, 600, 20);
 * schedule(0); // 0.001 / 600: the warm-up's first rate
 * schedule(600); // 0.001: warm-up done
 * schedule(12_000); // 0: the end of the cosine
 */
export function buildLrSchedule(
  spec: LrScheduleSpec,
  lr: number,
  stepsPerEpoch: number,
  epochs: number,
): Schedule {
  checkLrScheduleSpec(spec);
  const warmupSteps = Math.round((spec.warmupEpochs ?? 0) * stepsPerEpoch);
  const mainSteps = Math.max(1, epochs * stepsPerEpoch - warmupSteps);
  let main: Schedule;
  switch (spec.type) {
    case 'constant':
      main = () => lr;
      break;
    case 'step': {
      const stepEpochs = spec.stepEpochs ?? Math.max(1, Math.floor(epochs / 3));
      main = stepDecay(lr, Math.max(1, Math.round(stepEpochs * stepsPerEpoch)), spec.gamma ?? 0.1);
      break;
    }
    case 'cosine':
      main = cosineAnnealing(lr, mainSteps, spec.minLr ?? 0);
      break;
  }
  return warmupSteps > 0 ? linearWarmup(lr, warmupSteps, main) : main;
}

/** Throws a RangeError naming the field of `spec` that is out of range. */
export function checkLrScheduleSpec(spec: LrScheduleSpec): void {
  if (!lrScheduleTypes.includes(spec?.type)) {
    throw new RangeError(
      `lr schedule: type ${JSON.stringify(spec?.type)} is not one of ${lrScheduleTypes.join(', ')}`,
    );
  }
  const fields: [keyof LrScheduleSpec, (v: number) => boolean, string][] = [
    ['warmupEpochs', (v) => v >= 0, '≥ 0'],
    ['stepEpochs', (v) => v > 0, '> 0'],
    ['gamma', (v) => v > 0 && v <= 1, 'in (0, 1]'],
    ['minLr', (v) => v >= 0, '≥ 0'],
  ];
  for (const [field, ok, range] of fields) {
    const value = spec[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
      throw new RangeError(`lr schedule: ${field} must be a number ${range}, got ${value}`);
    }
  }
}
