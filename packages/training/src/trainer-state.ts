import type { AugmentOptions, DataLoaderState } from '@scratchnet/datasets';
import type { RandomState } from '@scratchnet/tensor';
import type { LrScheduleSpec } from './lr-schedule.js';
import type { EpochResult } from './trainer-options.js';

/** Where a run stands between two steps: plain JSON, saved in every checkpoint. */
export interface TrainerState {
  /** The epoch the next step belongs to (0-based). */
  epoch: number;
  /** Optimizer steps taken so far. */
  step: number;
  /** The data loader's position and generator: the epoch's batch order and where in it. */
  loader: DataLoaderState;
  /** The global generator (dropout masks). */
  rng: RandomState;
  /** The augmentation's generator, or null without `augment`. */
  augmentation: RandomState | null;
  /** The learning-rate schedule, or null without `lrSchedule`. */
  schedule: {
    /** The schedule's options. */
    spec: LrScheduleSpec;
    /** The learning rate it starts from. */
    baseLr: number;
    /** Its steps taken so far. */
    count: number;
  } | null;
  /** The sum of this epoch's training losses so far. */
  epochLossSum: number;
  /** The number of losses in `epochLossSum`. */
  epochLossCount: number;
  /** Wall time of this epoch's training steps so far, in seconds. */
  epochSeconds: number;
  /** Batches dropped in this epoch so far (`onNonFinite: 'skip'`). */
  epochSkipped: number;
  /** Batches dropped in the whole run. */
  skippedBatches: number;
  /** One record per finished epoch. */
  history: EpochResult[];
  /** The best validation epoch so far, or null before the first validation. */
  best: {
    /** The best validation epoch so far (1-based). */
    epoch: number;
    /** Its metric, lower is better: the validation loss, or minus the validation accuracy. */
    value: number;
  } | null;
  /** Epochs since the best one, counted against early stopping's `patience`. */
  epochsWithoutImprovement: number;
  /** True once early stopping has ended the run. */
  stoppedEarly: boolean;
  /**
   * What the batches and the schedule depend on: a resumed trainer must have the same (absent in
   * states saved before it was recorded).
   */
  setup?: TrainerSetup;
  /** `setup`'s first two fields, as states saved before `setup` recorded them. */
  data?: {
    /** Training samples. */
    samples: number;
    /** Samples per step. */
    batchSize: number;
  };
}

/**
 * The fields in which two network configs differ, as `hiddenSize: 50 in the checkpoint, 100 in
 * the model` (nested fields by their path, `layers.2.outFeatures`).
 */
export function configDifferences(
  saved: Record<string, unknown>,
  current: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    const isObject = (v: unknown) => typeof v === 'object' && v !== null;
    if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      for (const key of keys) {
        walk(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
        );
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
      out.push(`${path}: ${show(a)} in the checkpoint, ${show(b)} in the model`);
    }
  };
  walk(saved, current, '');
  return out;
}

/**
 * The trainer's options that decide its batches and learning rates, recorded in its state: a run
 * resumed with other values would not continue the same run.
 */
export interface TrainerSetup {
  /** Training samples. */
  samples: number;
  /** Samples per step. */
  batchSize: number;
  /** How batches are drawn. */
  sampling: 'shuffle' | 'replacement';
  /** The seed of the batches and the augmentation. */
  seed: number;
  /** The augmentation's options, or null without. */
  augment: AugmentOptions | null;
  /** The learning-rate schedule's options, or null without. */
  lrSchedule: LrScheduleSpec | null;
  /** The learning rate the run starts from. */
  lr: number;
  /** Gradient clipping's maximum norm, or null without. */
  clipGradNorm: number | null;
  /** The optimizer's `typeName` ('Adam'). */
  optimizer: string;
}

/** One setting in which a saved state and a trainer differ. */
export interface SetupDifference {
  /** The option's name in `TrainerOptions` ('samples' is the training set's length). */
  name: keyof TrainerSetup;
  /** Its value in the saved state, as JSON. */
  saved: string;
  /** Its value in this trainer, as JSON. */
  current: string;
}

/**
 * A state resumed on a trainer set up otherwise: `differences` names each setting, so that a
 * caller (the CLI) can say it in its own terms (`--batch-size`).
 */
export class TrainerSetupError extends Error {
  /** 'TrainerSetupError'. */
  override name = 'TrainerSetupError';
  constructor(
    /** Each setting in which the saved state and this trainer differ. */
    readonly differences: readonly SetupDifference[],
    /** Where the state came from, for the message: a checkpoint's file, or `Trainer.setState`. */
    source = 'Trainer.setState',
  ) {
    super(
      `${source}: the state was saved with other settings: ${differences
        .map(({ name, saved, current }) => `${name} ${saved} then, ${current} now`)
        .join('; ')}. Resume with the same data and options, or start a new run`,
    );
  }
}

/** The settings in which `saved` and `current` differ ('samples' and 'batchSize' first). */
export function setupDifferences(
  saved: Partial<TrainerSetup>,
  current: TrainerSetup,
): SetupDifference[] {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return (Object.keys(current) as (keyof TrainerSetup)[])
    .filter((name) => name in saved && show(saved[name]) !== show(current[name]))
    .map((name) => ({ name, saved: show(saved[name]), current: show(current[name]) }));
}
