import {
  AugmentedDataset,
  type AugmentOptions,
  type Batch,
  type BatchSource,
  DataLoader,
  type DataLoaderState,
} from '@scratchnet/datasets';
import type { Module, Network } from '@scratchnet/layers';
import {
  clipGradNorm,
  createOptimizer,
  LrScheduler,
  type Optimizer,
  type OptimizerName,
} from '@scratchnet/optimizers';
import { loadCheckpoint, saveCheckpoint } from '@scratchnet/serialization';
import {
  argmax,
  checkOptionKeys,
  defaultGenerator,
  everyKey,
  noGrad,
  type RandomState,
  scope,
  softmaxCrossEntropy,
  stack,
  type Tensor,
  tensor,
} from '@scratchnet/tensor';
import { type ArrayData, datasetOf, isArrayData } from './array-data.js';
import {
  type Divergence,
  DivergenceError,
  type DivergenceOptions,
  DivergenceWatch,
} from './divergence.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { buildLrSchedule, checkLrScheduleSpec, type LrScheduleSpec } from './lr-schedule.js';
import { nextMacrotask } from './next-macrotask.js';
import { findNonFiniteGradient, NonFiniteError } from './non-finite.js';

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
function checkTrainerOptions(options: TrainerOptions): void {
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
}

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
   * The training data the position in `loader` refers to: a resumed trainer must have the same
   * (absent in states saved before it was recorded).
   */
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
function configDifferences(
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

/** The batch's class indices as a tensor: `y` itself unless it holds one-hot rows. */
function classIndices(y: Tensor, labels: Int32Array): Tensor {
  return y.rank === 1 ? y : tensor(Float32Array.from(labels), [labels.length]);
}

async function call<A extends unknown[]>(
  callback: ((...args: A) => void | Promise<void>) | undefined,
  ...args: A
): Promise<void> {
  const result = callback?.(...args);
  if (result) await result;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Trainer: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Trains a model on a labelled set, in the book's `common/trainer.py` spirit: its `train_step`
 * (a batch, the gradient, the optimizer's update) is `step()`, its `train` loop is `fit()`, and
 * like it the trainer measures training and test accuracy after every epoch (`epoch:N, train acc,
 * test acc`, lines 52–67 of the book's file). Beyond the book: seeded batches that any epoch can
 * replay, learning-rate schedules, gradient clipping, augmentation, early stopping, keep-best, a
 * guard against NaN, and checkpoints that resume to bitwise the same weights.
 *
 * Values are read back from the backend asynchronously and at most once per `logEvery` steps, so
 * the loop never waits on a synchronous read.
 *
 * @example
 * manualSeed(1);
 * const net = new SimpleConvNet();
 * const trainer = new Trainer(net, mnist.train.dataset, {
 *   optimizer: 'adam', epochs: 20, test: mnist.test.dataset,
 *   callbacks: { onEpochEnd: (r) => console.log(`epoch:${r.epoch}, test acc:${r.testAccuracy}`) },
 * });
 * await trainer.fit();
 */
export class Trainer {
  /** The model trained. */
  readonly model: TrainableModel;
  /** The optimizer that updates it: the one given, or the one built from its name. */
  readonly optimizer: Optimizer;
  /** The seeded loader of the (augmented) training set's batches. */
  readonly loader: DataLoader<Batch>;
  /** Passes over the training set to make (`TrainerOptions.epochs`; default 20). */
  readonly epochs: number;
  /** The unaugmented training set (the training accuracy is measured on it). */
  readonly trainData: BatchSource<Batch>;
  private readonly options: TrainerOptions;
  private readonly augmented: AugmentedDataset | null;
  private readonly scheduler: LrScheduler | null;
  /** The learning rate the schedule starts from (the optimizer's when the trainer was built). */
  readonly baseLr: number;
  private readonly logEvery: number;
  private state: Omit<TrainerState, 'loader' | 'rng' | 'augmentation' | 'schedule'>;
  /** This epoch's batches, while it is being walked. */
  private iterator: Iterator<Batch> | null = null;
  /** Losses not yet read back, with their steps. */
  private pending: { step: number; batchIndex: number; loss: Tensor; accuracy: Tensor }[] = [];
  private bestWeights: Record<string, Tensor> | null = null;
  /** Whether the optimizer was made here (from a name), and so is the trainer's to dispose. */
  private readonly ownsOptimizer: boolean;
  private stopRequested = false;
  /** Watches the losses read back for divergence (null with `onDivergence: 'off'`). */
  private readonly divergenceWatch: DivergenceWatch | null;

  constructor(model: TrainableModel, train: BatchSource<Batch>, options: TrainerOptions = {}) {
    checkTrainerOptions(options);
    this.divergenceWatch =
      options.onDivergence === 'off' ? null : new DivergenceWatch(options.divergence);
    this.model = model;
    this.options = options;
    this.trainData = train;
    this.epochs = positiveInteger('epochs', options.epochs ?? 20);
    this.logEvery = positiveInteger('logEvery', options.logEvery ?? 10);
    if (options.clipGradNorm !== undefined && !(options.clipGradNorm > 0)) {
      throw new RangeError(`Trainer: clipGradNorm must be > 0, got ${options.clipGradNorm}`);
    }
    if ((options.earlyStopping || options.keepBest) && !options.validation) {
      throw new Error(
        'Trainer: early stopping and keep-best watch a validation set: give options.validation (a held-out part of the training data, not the test set)',
      );
    }
    if (options.earlyStopping)
      positiveInteger('earlyStopping.patience', options.earlyStopping.patience);
    const optimizer = options.optimizer ?? 'adam';
    this.ownsOptimizer = typeof optimizer === 'string';
    this.optimizer =
      typeof optimizer === 'string'
        ? createOptimizer(optimizer, model.parameters(), {
            lr: options.lr,
            weightDecay: options.weightDecay,
          })
        : optimizer;
    const seed = options.seed ?? 0;
    this.augmented = options.augment
      ? new AugmentedDataset(train, { ...options.augment, seed })
      : null;
    this.loader = new DataLoader(this.augmented ?? train, {
      batchSize: positiveInteger('batchSize', options.batchSize ?? 100),
      shuffle: true,
      replacement: options.sampling === 'replacement',
      seed,
    });
    this.baseLr = this.optimizer.lr;
    if (options.lrSchedule) {
      checkLrScheduleSpec(options.lrSchedule);
      const schedule = buildLrSchedule(
        options.lrSchedule,
        this.baseLr,
        this.loader.length,
        this.epochs,
      );
      this.scheduler = new LrScheduler(this.optimizer, schedule);
    } else {
      this.scheduler = null;
    }
    this.state = {
      epoch: 0,
      step: 0,
      epochLossSum: 0,
      epochLossCount: 0,
      epochSeconds: 0,
      epochSkipped: 0,
      skippedBatches: 0,
      history: [],
      best: null,
      epochsWithoutImprovement: 0,
      stoppedEarly: false,
    };
  }

  /** Optimizer steps taken so far. */
  get step(): number {
    return this.state.step;
  }

  /** The epoch the next step belongs to (0-based); equals `epochs` when training is over. */
  get epoch(): number {
    return this.state.epoch;
  }

  /** True once every epoch ran, or early stopping ended the run. */
  get done(): boolean {
    return this.state.epoch >= this.epochs || this.state.stoppedEarly;
  }

  /** One record per finished epoch. */
  get history(): readonly EpochResult[] {
    return this.state.history;
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return this.loader.length;
  }

  /** The best validation epoch so far (1-based), with its metric. */
  get best(): {
    /** The best validation epoch so far (1-based). */
    epoch: number;
    /** Its metric, lower is better: the validation loss, or minus the validation accuracy. */
    value: number;
  } | null {
    return this.state.best;
  }

  /** Reads back the losses not yet logged now, rather than at the next logging step. */
  async flush(): Promise<void> {
    if (this.pending.length > 0) await this.readPending(this.state.step, null);
  }

  /**
   * Frees what the trainer holds: losses not yet read, the keep-best snapshot, and the optimizer's
   * slots when the trainer made the optimizer (from a name). The model stays its owner's. For a
   * trainer that is done with; `fit()` cannot resume afterwards.
   */
  dispose(): void {
    for (const p of this.pending) {
      p.loss.dispose();
      p.accuracy.dispose();
    }
    this.pending = [];
    for (const t of Object.values(this.bestWeights ?? {})) t.dispose();
    this.bestWeights = null;
    if (this.ownsOptimizer) this.optimizer.dispose();
  }

  /** Ends `fit()` after the step under way (the state stays resumable). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Trains until every epoch ran, early stopping ends the run, or `stop()` is called. Resolves
   * with the history; with `keepBest` the best validation epoch's weights are restored.
   */
  async fit(): Promise<FitResult> {
    this.stopRequested = false;
    while (!this.done && !this.stopRequested) {
      await this.trainStep();
      // A macrotask between steps: signals (Ctrl-C), worker messages and the wasm backend's
      // finalizers get their turn.
      await nextMacrotask();
    }
    const completed = this.done;
    if (completed && this.options.keepBest) this.restoreBest();
    return {
      completed,
      stoppedEarly: this.state.stoppedEarly,
      history: [...this.state.history],
      ...(this.state.best ? { bestEpoch: this.state.best.epoch } : {}),
      steps: this.state.step,
    };
  }

  /**
   * One optimizer step on the next batch (the book's `train_step`); at the end of an epoch, also
   * its evaluations, early stopping and keep-best. Does nothing once `done`.
   */
  async trainStep(): Promise<void> {
    if (this.done) return;
    const { callbacks = {} } = this.options;
    if (!this.iterator) {
      await call(callbacks.onEpochBegin, {
        epoch: this.state.epoch,
        epochs: this.epochs,
        batches: this.loader.length,
        batchIndex: this.loader.batchIndex,
      });
      this.iterator = this.loader[Symbol.iterator]();
    }
    const started = performance.now();
    const next = this.iterator.next();
    if (next.done) {
      // An epoch resumed exactly at its end: nothing left but its evaluation.
      await this.endEpoch();
      return;
    }
    const { x, y, labels } = next.value;
    // The loader counts a batch before handing it out: after an epoch's last, it is at the next.
    const lastOfEpoch = this.loader.epoch > this.state.epoch;
    const batchIndex = lastOfEpoch ? this.loader.length : this.loader.batchIndex;
    const lr = this.optimizer.lr;

    const model = this.model;
    model.train();
    this.optimizer.zeroGrad();
    // The forward and backward pass in one scope: everything it makes is freed when it ends but
    // the loss and accuracy (read back later) and the gradients (which the parameters keep).
    // The batch is the trainer's (the loader made it for this step): freed once onStepEnd, which
    // may look at it, has returned.
    try {
      const passed = scope(() => {
        const logits = model.apply(x); // apply, not forward: hooks on the model run too
        const loss = model.lossFromLogits
          ? model.lossFromLogits(logits, labels)
          : softmaxCrossEntropy(logits, labels);
        loss.backward();
        return {
          loss: loss.detach(),
          accuracy: noGrad(() => argmax(logits, 1).eq(classIndices(y, labels)).mean()),
          gradNorm:
            this.options.clipGradNorm !== undefined
              ? clipGradNorm(model.parameters(), this.options.clipGradNorm)
              : null,
        };
      });
      await this.finishStep(passed, { x, labels, batchIndex, lastOfEpoch, lr, started });
    } finally {
      x.dispose();
      y.dispose();
    }
    if (lastOfEpoch) await this.endEpoch();
  }

  /** After the forward and backward pass: read the losses back, then update (or skip). */
  private async finishStep(
    { loss, accuracy, gradNorm }: { loss: Tensor; accuracy: Tensor; gradNorm: Tensor | null },
    {
      x,
      labels,
      batchIndex,
      lastOfEpoch,
      lr,
      started,
    }: {
      x: Tensor;
      labels: Int32Array;
      batchIndex: number;
      lastOfEpoch: boolean;
      lr: number;
      started: number;
    },
  ): Promise<void> {
    const callbacks = this.options.callbacks ?? {};
    const step = this.state.step + 1;
    this.pending.push({ step, batchIndex, loss, accuracy });
    const onNonFinite = this.options.onNonFinite ?? 'stop';
    const readNow = onNonFinite === 'skip' || step % this.logEvery === 0 || lastOfEpoch;
    let skipped: string | null = null;
    try {
      if (readNow) skipped = await this.readPending(step, this.gradientGuard(gradNorm));
    } finally {
      gradNorm?.dispose();
    }
    if (skipped) {
      this.optimizer.zeroGrad();
      this.state.skippedBatches++;
      this.state.epochSkipped++;
      await call(callbacks.onSkip, { step, message: skipped });
      this.state.epochSeconds += (performance.now() - started) / 1000;
      return;
    }
    this.optimizer.step();
    this.scheduler?.step();
    this.state.step = step;
    this.state.epochSeconds += (performance.now() - started) / 1000;
    await call(callbacks.onStepEnd, {
      step,
      epoch: this.state.epoch,
      batchIndex,
      batches: this.loader.length,
      batchSize: labels.length,
      lr,
      batch: { x, labels },
    });
  }

  /**
   * Reads every pending loss back in one asynchronous read and reports them; checks the newest
   * step (not yet applied) for a NaN or infinite loss or gradient. Returns a message when that
   * step's batch is to be skipped, throws with 'stop', and returns null when all is finite.
   */
  private async readPending(currentStep: number, guard: Tensor | null): Promise<string | null> {
    const pending = this.pending;
    this.pending = [];
    const n = pending.length;
    const packed = noGrad(() =>
      stack([
        ...pending.map((p) => p.loss),
        ...pending.map((p) => p.accuracy),
        ...(guard ? [guard] : []),
      ]),
    );
    for (const p of pending) {
      p.loss.dispose();
      p.accuracy.dispose();
    }
    guard?.dispose();
    let values: Float32Array;
    try {
      values = await packed.dataAsync();
    } finally {
      packed.dispose();
    }
    const losses = values.subarray(0, n);
    const accuracies = values.subarray(n, 2 * n);
    const gradientsFinite = !guard || Number.isFinite(values[2 * n]!);
    const badIndex = losses.findIndex((v) => !Number.isFinite(v));
    let problem: { at: (typeof pending)[number]; tensorName: string; description: string } | null =
      null;
    if (badIndex >= 0) {
      problem = {
        at: pending[badIndex]!,
        tensorName: 'loss',
        description: `the loss is ${losses[badIndex]}`,
      };
    } else if (!gradientsFinite) {
      const found = await findNonFiniteGradient(this.model);
      if (found) problem = { at: pending.at(-1)!, ...found };
    }
    const onNonFinite = this.options.onNonFinite ?? 'stop';
    const where =
      problem &&
      `step ${problem.at.step} (epoch ${this.state.epoch + 1}, batch ${problem.at.batchIndex} of ${this.loader.length}): ${problem.description}`;
    if (problem && onNonFinite === 'stop') {
      const late =
        problem.at.step < currentStep
          ? ` It was read back at step ${currentStep}: the steps between were already applied.`
          : '';
      throw new NonFiniteError(
        `${where}. Training diverged: lower the learning rate (now ${this.optimizer.lr}), clip the gradients, or skip such batches (onNonFinite: 'skip').${late}`,
        problem.at.step,
        problem.tensorName,
        where!,
      );
    }
    // With 'skip' every step is read at once, so only the newest can be the bad one.
    const kept = problem ? losses.subarray(0, losses.length - 1) : losses;
    await this.watchDivergence(pending, kept);
    for (const value of kept) this.state.epochLossSum += value;
    this.state.epochLossCount += kept.length;
    if (kept.length > 0) {
      await call(this.options.callbacks?.onLog, {
        firstStep: pending[0]!.step,
        losses: Float32Array.from(kept),
        accuracies: accuracies.slice(0, kept.length),
        epochLoss: this.state.epochLossSum / this.state.epochLossCount,
        epoch: this.state.epoch,
      });
    }
    return problem ? `${where}; batch skipped` : null;
  }

  /** Feeds the finite losses to the divergence watch and acts on what it sees (once). */
  private async watchDivergence(
    pending: readonly { step: number; batchIndex: number }[],
    losses: Float32Array,
  ): Promise<void> {
    const watch = this.divergenceWatch;
    if (!watch || watch.divergence) return;
    for (let i = 0; i < losses.length; i++) {
      const divergence = watch.push(losses[i]!);
      if (!divergence) continue;
      const { step, batchIndex } = pending[i]!;
      const where = `step ${step} (epoch ${this.state.epoch + 1}, batch ${batchIndex} of ${this.loader.length}): ${divergence.message}`;
      if ((this.options.onDivergence ?? 'stop') === 'stop') {
        throw new DivergenceError(
          `${where}. Training diverged: lower the learning rate (now ${this.optimizer.lr}), clip the gradients (clipGradNorm), or let it go on with onDivergence: 'warn'.`,
          divergence,
          step,
        );
      }
      await call(this.options.callbacks?.onDiverged, { step, divergence, message: where });
      return;
    }
  }

  /**
   * 0 when every gradient is finite, NaN or ±∞ otherwise, computed on the backend (so it joins the
   * losses' one read); null when no parameter has a gradient.
   */
  private gradientGuard(gradNorm: Tensor | null): Tensor | null {
    return noGrad(() => scope(() => this.gradientGuardComposed(gradNorm)));
  }

  private gradientGuardComposed(gradNorm: Tensor | null): Tensor | null {
    if (gradNorm) return gradNorm.mul(0);
    let total: Tensor | null = null;
    for (const p of this.model.parameters()) {
      if (!p.grad) continue;
      const term = p.grad.mul(0).sum();
      total = total ? total.add(term) : term;
    }
    return total;
  }

  /** Evaluations, the epoch's record, early stopping and keep-best. */
  private async endEpoch(): Promise<void> {
    this.iterator?.return?.();
    this.iterator = null;
    await this.flush();
    const { options } = this;
    const trainEvalSamples = options.trainEvalSamples ?? 10_000;
    // A run that skips non-finite batches has its epochs evaluated all the same (NaN where due).
    const onNonFinite = options.onNonFinite === 'skip' ? 'keep' : 'throw';
    const train =
      trainEvalSamples > 0
        ? await evaluate(this.model, this.trainData, { limit: trainEvalSamples, onNonFinite })
        : undefined;
    const validation = options.validation
      ? await evaluate(this.model, options.validation, { onNonFinite })
      : undefined;
    const test = options.test
      ? await evaluate(this.model, options.test, { onNonFinite })
      : undefined;
    const s = this.state;
    const result: EpochResult = {
      epoch: s.epoch + 1,
      step: s.step,
      trainLoss: s.epochLossCount > 0 ? s.epochLossSum / s.epochLossCount : Number.NaN,
      ...(train ? { trainAccuracy: train.accuracy, trainEvalLoss: train.loss } : {}),
      ...(validation
        ? { validationLoss: validation.loss, validationAccuracy: validation.accuracy }
        : {}),
      ...(test ? { testLoss: test.loss, testAccuracy: test.accuracy } : {}),
      lr: this.optimizer.lr,
      seconds: s.epochSeconds,
      skippedBatches: s.epochSkipped,
    };
    s.history.push(result);
    s.epoch++;
    s.epochLossSum = 0;
    s.epochLossCount = 0;
    s.epochSeconds = 0;
    s.epochSkipped = 0;
    if (validation) this.trackBest(result.epoch, validation);
    await call(options.callbacks?.onEpochEnd, result, {
      ...(validation ? { validation } : {}),
      ...(test ? { test } : {}),
      ...(train ? { train } : {}),
    });
  }

  private trackBest(epoch: number, validation: Evaluation): void {
    const monitor = this.options.monitor ?? 'loss';
    // Compared so that lower is better.
    const value = monitor === 'loss' ? validation.loss : -validation.accuracy;
    const minDelta = this.options.earlyStopping?.minDelta ?? 0;
    const s = this.state;
    if (!s.best || value < s.best.value - minDelta) {
      s.best = { epoch, value };
      s.epochsWithoutImprovement = 0;
      if (this.options.keepBest) {
        // The snapshot's handles share the weights' buffers of this moment (later steps assign
        // new ones); the snapshot it replaces is let go.
        for (const t of Object.values(this.bestWeights ?? {})) t.dispose();
        this.bestWeights = this.model.stateDict();
      }
    } else {
      s.epochsWithoutImprovement++;
      const patience = this.options.earlyStopping?.patience;
      if (patience !== undefined && s.epochsWithoutImprovement >= patience) s.stoppedEarly = true;
    }
  }

  /** The best validation epoch's weights (with `keepBest`), or null before the first epoch. */
  bestStateDict(): Record<string, Tensor> | null {
    return this.bestWeights;
  }

  /** Loads the best validation epoch's weights into the model (with `keepBest`). */
  restoreBest(): void {
    if (this.bestWeights) this.model.loadStateDict(this.bestWeights);
  }

  /**
   * Everything but the weights and the optimizer's slots that a resumed run needs: the position in
   * the data, every random generator, the schedule, running sums and the history. Reads back the
   * pending losses first.
   */
  async getState(): Promise<TrainerState> {
    await this.flush();
    return structuredClone({
      ...this.state,
      loader: this.loader.getState(),
      data: { samples: this.trainData.length, batchSize: this.loader.batchSize },
      rng: defaultGenerator.getState(),
      augmentation: this.augmented?.getState() ?? null,
      schedule: this.options.lrSchedule
        ? { spec: this.options.lrSchedule, baseLr: this.baseLr, count: this.scheduler!.count }
        : null,
    });
  }

  /** Restores what `getState()` gave (on a trainer built with the same data and options). */
  setState(state: TrainerState): void {
    if (this.iterator) {
      this.iterator.return?.();
      this.iterator = null;
    }
    for (const p of this.pending) {
      p.loss.dispose();
      p.accuracy.dispose();
    }
    this.pending = [];
    const { loader, rng, augmentation, schedule, data, ...rest } = structuredClone(state);
    if (data) {
      const now = { samples: this.trainData.length, batchSize: this.loader.batchSize };
      const differ = (['samples', 'batchSize'] as const).filter((key) => data[key] !== now[key]);
      if (differ.length > 0) {
        throw new Error(
          `Trainer.setState: the state was saved for other training data: ${differ.map((key) => `${key === 'samples' ? 'training samples' : 'batch size'} ${data[key]} then, ${now[key]} now`).join('; ')}. Resume with the same data and batch size, or start a new run`,
        );
      }
    }
    if (
      JSON.stringify(schedule?.spec ?? null) !== JSON.stringify(this.options.lrSchedule ?? null) ||
      (schedule && schedule.baseLr !== this.baseLr)
    ) {
      throw new Error(
        `Trainer.setState: the state was saved with lr schedule ${JSON.stringify(schedule ?? 'none')}, this trainer has ${JSON.stringify(this.options.lrSchedule ?? 'none')} from lr ${this.baseLr}`,
      );
    }
    if ((augmentation === null) !== (this.augmented === null)) {
      throw new Error(
        `Trainer.setState: the state was saved ${augmentation ? 'with' : 'without'} augmentation, this trainer is ${this.augmented ? 'with' : 'without'}`,
      );
    }
    this.loader.setState(loader);
    defaultGenerator.setState(rng);
    if (augmentation) this.augmented!.setState(augmentation);
    if (schedule && this.scheduler) {
      this.scheduler.count = schedule.count;
      this.optimizer.lr = this.scheduler.schedule(schedule.count);
    }
    this.state = rest;
  }

  /**
   * A checkpoint of the whole run in one safetensors file (`saveCheckpoint`): weights, optimizer
   * slots, this trainer's state and, with keep-best, the best epoch's weights. Write it with
   * `writeFileAtomic`; `loadCheckpoint` on a trainer built the same way resumes it bit for bit.
   */
  async saveCheckpoint(metadata: Record<string, unknown> = {}): Promise<Uint8Array> {
    const network = this.model as Network;
    if (!('config' in network)) {
      throw new Error('Trainer.saveCheckpoint: the model is not a Network (it has no config)');
    }
    const state = await this.getState();
    return saveCheckpoint(
      network,
      this.optimizer,
      { epoch: state.epoch, step: state.step, rng: state.rng, trainer: state, ...metadata },
      this.bestWeights ? { bestModelState: this.bestWeights } : {},
    );
  }

  /** Resumes from a checkpoint written by `saveCheckpoint`; returns its extra metadata. */
  loadCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Record<string, unknown> {
    const checkpoint = loadCheckpoint(bytes, { source });
    const network = this.model as Network;
    if ('config' in network) {
      const differences = configDifferences(checkpoint.config, network.config);
      if (differences.length > 0) {
        throw new Error(
          `${source}: the checkpoint is of another network than this trainer's ${network.config.architecture}: ${differences.join('; ')}`,
        );
      }
    }
    const { trainer, ...rest } = checkpoint.training as { trainer?: TrainerState };
    if (!trainer) throw new Error(`${source}: the checkpoint holds no trainer state`);
    this.model.loadStateDict(checkpoint.modelState);
    this.optimizer.loadStateDict(checkpoint.optimizerState);
    // The model and the optimizer hold the loaded buffers through handles of their own.
    for (const t of [
      ...Object.values(checkpoint.modelState),
      ...Object.values(checkpoint.optimizerState.slots),
    ]) {
      t.dispose();
    }
    this.setState(trainer);
    for (const t of Object.values(this.bestWeights ?? {})) t.dispose();
    this.bestWeights = checkpoint.bestModelState ?? null;
    return rest;
  }
}

/**
 * Trains `model` on `train` and resolves when done: `new Trainer(model, train, options).fit()`,
 * as Keras' `model.fit`. `train` is a dataset, or the samples and their classes as tensors or
 * arrays: `{ x, y }` (see {@link ArrayData}).
 *
 * @example
 * const { history } = await fit(net, mnist.train.dataset, {
 *   optimizer: 'adam', epochs: 5, validation, lrSchedule: { type: 'cosine' },
 * });
 * // Or straight from tensors: x [N, 1, 28, 28], y class indices [N].
 * await fit(net, { x, y }, { epochs: 3 });
 */
export async function fit(
  model: TrainableModel,
  train: BatchSource<Batch> | ArrayData,
  options: TrainerOptions = {},
): Promise<FitResult> {
  const data = isArrayData(train)
    ? datasetOf(train, (model as { inputShape?: readonly number[] }).inputShape)
    : train;
  const trainer = new Trainer(model, data, options);
  try {
    return await trainer.fit();
  } finally {
    // The trainer is fit's own: its unread losses, snapshot and (named) optimizer go with it.
    trainer.dispose();
  }
}
