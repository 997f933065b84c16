import type { AugmentOptions, Batch, BatchSource } from '@scratchnet/datasets';
import type { Module } from '@scratchnet/layers';
import type { Optimizer, OptimizerName } from '@scratchnet/optimizers';
import { checkOptionKeys, everyKey, type Tensor } from '@scratchnet/tensor';
import type { Divergence, DivergenceOptions } from './divergence.js';
import type { Evaluation } from './evaluate.js';
import { checkLrScheduleSpec, type LrScheduleSpec } from './lr-schedule.js';

/** A model `fit` can train: any module; a `Network` adds its own loss (with weight decay). */
export type TrainableModel = Module & {
  /**
   * The training loss from the model's outputs and the labels (with a `Network`'s weight decay);
   * without it, softmax cross-entropy (the book's `SoftmaxWithLoss`).
   */
  lossFromLogits?: (logits: Tensor, labels: ArrayLike<number>) => Tensor;
};

/** What a metric of the validation set is compared on, for early stopping and keep-best. */
export type Monitor = 'loss' | 'accuracy';

/**
 * How the book's `Trainer` (common/trainer.py) is set up here: its optimizer, epochs and batch
 * size, and what the book's has not (schedules, clipping, augmentation, early stopping).
 */
export interface TrainerOptions {
  /** An optimizer over the model's parameters, or its name (then `lr` and `weightDecay` apply). */
  optimizer?: Optimizer | OptimizerName;
  /** With an optimizer name: the learning rate (default: the optimizer's book default). */
  lr?: number;
  /** With an optimizer name: L2 weight decay λ. */
  weightDecay?: number;
  /** Passes over the training set; default 20, as the book's `train_convnet.py`. */
  epochs?: number;
  /** Samples per step; default 100. */
  batchSize?: number;
  /**
   * 'shuffle' (default): every sample once per epoch, in a new seeded order; 'replacement': each
   * sample drawn independently, as the book's Trainer does with `np.random.choice`.
   */
  sampling?: 'shuffle' | 'replacement';
  /** Seeds the batch order and the augmentation; default 0. Dropout uses the global generator. */
  seed?: number;
  /** Held-out data evaluated after every epoch; early stopping and keep-best watch it. */
  validation?: BatchSource<Batch>;
  /** Test data evaluated after every epoch, for the record only (never watched). */
  test?: BatchSource<Batch>;
  /**
   * Training accuracy and loss after every epoch are measured as the book's Trainer does: in
   * evaluation mode on the first `trainEvalSamples` training samples (its
   * `evaluate_sample_num_per_epoch`); default 10,000, 0 for none.
   */
  trainEvalSamples?: number;
  /** A learning-rate schedule, stepped after every optimizer step. */
  lrSchedule?: LrScheduleSpec;
  /** Scale the gradients so that their global L2 norm is at most this (PyTorch's clip_grad_norm_). */
  clipGradNorm?: number;
  /** Random shifts, rotations and scaling of the training images (the book's ch. 8), seeded. */
  augment?: Omit<AugmentOptions, 'seed'>;
  /** Stop when the validation metric has not improved for `patience` epochs. */
  earlyStopping?: {
    /** Epochs without improvement before training stops (Keras' `patience`); a positive integer. */
    patience: number;
    /** How much the metric must improve to count; default 0. */
    minDelta?: number;
  };
  /** Restore the weights of the best validation epoch when training ends. */
  keepBest?: boolean;
  /** The validation metric early stopping and keep-best watch; default 'loss' (as Keras). */
  monitor?: Monitor;
  /**
   * A NaN or infinite loss or gradient: 'stop' (default) throws a `NonFiniteError` naming the step
   * and tensor before that step's update; 'skip' drops the batch (no update) and goes on. 'skip'
   * checks every step, so it reads the loss back every step.
   */
  onNonFinite?: 'stop' | 'skip';
  /**
   * A loss that diverges while staying finite (a `DivergenceWatch` over the losses read back: far
   * above the first step's, or back up to it after a jump): 'stop' (default) throws a
   * `DivergenceError` naming the step and what was seen, with the learning rate to lower; 'warn'
   * calls `callbacks.onDiverged` once and goes on; 'off' does not watch. NaN and ±∞ are
   * `onNonFinite`'s.
   */
  onDivergence?: 'stop' | 'warn' | 'off';
  /** The watch's thresholds (`DivergenceOptions`: window, ratios). */
  divergence?: DivergenceOptions;
  /**
   * Losses are read back from the backend every `logEvery` steps, all of the window's in one
   * asynchronous read (`onLog` gets them); default 10. The non-finite check runs on those steps,
   * before their update; with 'stop' and `logEvery` > 1 a NaN may be found up to `logEvery − 1`
   * steps after it appeared (the error names the step it appeared at).
   */
  logEvery?: number;
  /** Events; each may return a promise, which the trainer awaits. */
  callbacks?: TrainerCallbacks;
}

/** What `onStepEnd` gets after every optimizer step (nothing read back from the backend). */
export interface StepInfo {
  /** Optimizer steps taken in the whole run, this one included. */
  step: number;
  /** The epoch this step belongs to (0-based). */
  epoch: number;
  /** Batches of this epoch done, this one included. */
  batchIndex: number;
  /** Batches per epoch. */
  batches: number;
  /** Samples in this batch. */
  batchSize: number;
  /** The learning rate this step used. */
  lr: number;
  /**
   * The step's batch: its inputs and class indices. The trainer frees it when the callback
   * returns (or its promise settles): copy what you keep.
   */
  batch: {
    /** The inputs, [batch, …sample shape]. */
    x: Tensor;
    /** The class of each sample. */
    labels: Int32Array;
  };
}

/** What `onLog` gets every `logEvery` steps: the losses read back since the previous log. */
export interface LogInfo {
  /** The step of `losses[0]`. */
  firstStep: number;
  /** One loss per step since the previous log, in training mode (skipped batches left out). */
  losses: Float32Array;
  /** The accuracy of each of those steps' batches, as they were trained on (training mode). */
  accuracies: Float32Array;
  /** The epoch's mean training loss so far. */
  epochLoss: number;
  /** The epoch these steps belong to (0-based). */
  epoch: number;
}

/** One epoch's record: the book's Trainer's `epoch:N, train acc, test acc` line, and more. */
export interface EpochResult {
  /** 1-based, as the book prints "epoch:1". */
  epoch: number;
  /** Optimizer steps taken in the whole run by the end of this epoch. */
  step: number;
  /** Mean loss of the epoch's batches as they were trained on (training mode, augmented). */
  trainLoss: number;
  /** Accuracy and loss on the first `trainEvalSamples` training samples, in evaluation mode. */
  trainAccuracy?: number;
  /** The mean loss on those samples, in evaluation mode (absent with `trainEvalSamples: 0`). */
  trainEvalLoss?: number;
  /** The mean loss on the validation set (absent without one). */
  validationLoss?: number;
  /** The accuracy on the validation set, a fraction (absent without one). */
  validationAccuracy?: number;
  /** The mean loss on the test set (absent without one). */
  testLoss?: number;
  /** The accuracy on the test set, a fraction: the book's "test acc" (absent without one). */
  testAccuracy?: number;
  /** The learning rate at the end of the epoch. */
  lr: number;
  /** Wall time of the epoch's training steps (not its evaluations), in seconds. */
  seconds: number;
  /** Batches dropped for a NaN or infinite loss or gradient in this epoch. */
  skippedBatches: number;
}

/** The trainer's events, as Keras' callbacks; each may return a promise, which it awaits. */
export interface TrainerCallbacks {
  /** Before the epoch's first step (or, resumed, its next one). */
  onEpochBegin?(info: {
    epoch: number;
    epochs: number;
    batches: number;
    batchIndex: number;
  }): void | Promise<void>;
  /** After every optimizer step. Nothing is read back for it: values come with `onLog`. */
  onStepEnd?(info: StepInfo): void | Promise<void>;
  /** Every `logEvery` steps and at the end of an epoch, with the losses since the last log. */
  onLog?(log: LogInfo): void | Promise<void>;
  /** A batch was dropped (`onNonFinite: 'skip'`). */
  onSkip?(info: { step: number; message: string }): void | Promise<void>;
  /** The loss diverged (`onDivergence: 'warn'`): once, at the step it was seen. */
  onDiverged?(info: {
    step: number;
    divergence: Divergence;
    message: string;
  }): void | Promise<void>;
  /** After an epoch and its evaluations; `evaluations` hold the full results. */
  onEpochEnd?(
    result: EpochResult,
    evaluations: { validation?: Evaluation; test?: Evaluation; train?: Evaluation },
  ): void | Promise<void>;
}

/** How a run ended, as `fit()` resolves (Keras' `History`, and more). */
export interface FitResult {
  /** False when `stop()` ended the run before its last epoch. */
  completed: boolean;
  /** True when early stopping ended it. */
  stoppedEarly: boolean;
  /** One record per finished epoch, the first included even when resumed. */
  history: EpochResult[];
  /** The best validation epoch (1-based) when a validation set was given. */
  bestEpoch?: number;
  /** Optimizer steps taken in the whole run. */
  steps: number;
}

/** Every key of `TrainerOptions` (checked by the compiler): an option object with another is refused. */
const TRAINER_OPTION_KEYS = everyKey<TrainerOptions>()([
  'optimizer',
  'lr',
  'weightDecay',
  'epochs',
  'batchSize',
  'sampling',
  'seed',
  'validation',
  'test',
  'trainEvalSamples',
  'lrSchedule',
  'clipGradNorm',
  'augment',
  'earlyStopping',
  'keepBest',
  'monitor',
  'onNonFinite',
  'onDivergence',
  'divergence',
  'logEvery',
  'callbacks',
]);

const CALLBACK_KEYS = everyKey<TrainerCallbacks>()([
  'onEpochBegin',
  'onStepEnd',
  'onLog',
  'onSkip',
  'onDiverged',
  'onEpochEnd',
]);

/** Refuses misspelt keys and values out of range, naming the option. */
export function checkTrainerOptions(options: TrainerOptions): void {
  checkOptionKeys('Trainer', options, TRAINER_OPTION_KEYS);
  if (options.callbacks) checkOptionKeys('Trainer callbacks', options.callbacks, CALLBACK_KEYS);
  if (options.earlyStopping) {
    checkOptionKeys('Trainer earlyStopping', options.earlyStopping, ['patience', 'minDelta']);
  }
  if (options.lr !== undefined && !(options.lr > 0 && Number.isFinite(options.lr))) {
    throw new RangeError(`Trainer: lr must be a number > 0, got ${options.lr}`);
  }
  if (options.weightDecay !== undefined && !(options.weightDecay >= 0)) {
    throw new RangeError(`Trainer: weightDecay must be ≥ 0, got ${options.weightDecay}`);
  }
  const samples = options.trainEvalSamples;
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 0)) {
    throw new RangeError(
      `Trainer: trainEvalSamples must be a whole number ≥ 0 (0 for none), got ${samples}`,
    );
  }
  positiveInteger('epochs', options.epochs ?? 20);
  positiveInteger('logEvery', options.logEvery ?? 10);
  positiveInteger('batchSize', options.batchSize ?? 100);
  if (options.clipGradNorm !== undefined && !(options.clipGradNorm > 0)) {
    throw new RangeError(`Trainer: clipGradNorm must be > 0, got ${options.clipGradNorm}`);
  }
  if ((options.earlyStopping || options.keepBest) && !options.validation) {
    throw new Error(
      'Trainer: early stopping and keep-best watch a validation set: give options.validation (a held-out part of the training data, not the test set)',
    );
  }
  if (options.earlyStopping) {
    positiveInteger('earlyStopping.patience', options.earlyStopping.patience);
  }
  if (options.lrSchedule) checkLrScheduleSpec(options.lrSchedule);
}

export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Trainer: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Calls an optional callback and awaits what it returns. */
export async function call<A extends unknown[]>(
  callback: ((...args: A) => void | Promise<void>) | undefined,
  ...args: A
): Promise<void> {
  const result = callback?.(...args);
  if (result) await result;
}
