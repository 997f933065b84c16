import { AugmentedDataset, type Batch, type BatchSource, DataLoader } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import { clipGradNorm, createOptimizer, LrScheduler, type Optimizer } from '@scratchnet/optimizers';
import { loadCheckpoint, saveCheckpoint } from '@scratchnet/serialization';
import {
  argmax,
  defaultGenerator,
  noGrad,
  scope,
  softmaxCrossEntropy,
  type Tensor,
  tensor,
} from '@scratchnet/tensor';
import { type ArrayData, datasetOf, isArrayData } from './array-data.js';
import { evaluate } from './evaluate.js';
import { buildLrSchedule } from './lr-schedule.js';
import { nextMacrotask } from './next-macrotask.js';
import { BestEpochTracker } from './trainer-best-epoch.js';
import {
  call,
  checkTrainerOptions,
  type EpochResult,
  type FitResult,
  type TrainableModel,
  type TrainerOptions,
} from './trainer-options.js';
import { gradientGuard, LossReadBack } from './trainer-read-back.js';
import {
  configDifferences,
  setupDifferences,
  type TrainerSetup,
  TrainerSetupError,
  type TrainerState,
} from './trainer-state.js';

export type {
  EpochResult,
  FitResult,
  LogInfo,
  Monitor,
  StepInfo,
  TrainableModel,
  TrainerCallbacks,
  TrainerOptions,
} from './trainer-options.js';
export type { SetupDifference, TrainerSetup, TrainerState } from './trainer-state.js';
export { TrainerSetupError } from './trainer-state.js';

/** The batch's class indices as a tensor: `y` itself unless it holds one-hot rows. */
function classIndices(y: Tensor, labels: Int32Array): Tensor {
  return y.rank === 1 ? y : tensor(Float32Array.from(labels), [labels.length]);
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
  private readonly readBack: LossReadBack;
  /** Early stopping and keep-best. */
  private readonly bestEpoch: BestEpochTracker;
  /** Whether the optimizer was made here (from a name), and so is the trainer's to dispose. */
  private readonly ownsOptimizer: boolean;
  private stopRequested = false;

  constructor(model: TrainableModel, train: BatchSource<Batch>, options: TrainerOptions = {}) {
    checkTrainerOptions(options);
    this.model = model;
    this.options = options;
    this.trainData = train;
    this.epochs = options.epochs ?? 20;
    this.logEvery = options.logEvery ?? 10;
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
      batchSize: options.batchSize ?? 100,
      shuffle: true,
      replacement: options.sampling === 'replacement',
      seed,
    });
    this.baseLr = this.optimizer.lr;
    if (options.lrSchedule) {
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
    this.readBack = new LossReadBack(model, this.optimizer, options);
    this.bestEpoch = new BestEpochTracker(model, options);
  }

  /** The options that decide this run's batches and learning rates, as its state records them. */
  get setup(): TrainerSetup {
    const { options } = this;
    return {
      samples: this.trainData.length,
      batchSize: this.loader.batchSize,
      sampling: options.sampling ?? 'shuffle',
      seed: options.seed ?? 0,
      augment: options.augment ?? null,
      lrSchedule: options.lrSchedule ?? null,
      lr: this.baseLr,
      clipGradNorm: options.clipGradNorm ?? null,
      optimizer: this.optimizer.typeName,
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
    if (this.readBack.size > 0) await this.readPending(this.state.step, null);
  }

  /**
   * Frees what the trainer holds: losses not yet read, the keep-best snapshot, and the optimizer's
   * slots when the trainer made the optimizer (from a name). The model stays its owner's. For a
   * trainer that is done with; `fit()` cannot resume afterwards.
   */
  dispose(): void {
    this.readBack.dispose();
    this.bestEpoch.dispose();
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
    this.readBack.push({ step, batchIndex, loss, accuracy });
    const onNonFinite = this.options.onNonFinite ?? 'stop';
    const readNow = onNonFinite === 'skip' || step % this.logEvery === 0 || lastOfEpoch;
    let skipped: string | null = null;
    try {
      if (readNow) skipped = await this.readPending(step, gradientGuard(this.model, gradNorm));
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
   * Reads every pending loss back (`LossReadBack.read`, with its guards) and reports them: adds
   * them to the epoch's mean and calls `onLog`. Returns why the newest step's batch is skipped, or
   * null.
   */
  private async readPending(currentStep: number, guard: Tensor | null): Promise<string | null> {
    const read = await this.readBack.read(currentStep, guard, {
      epoch: this.state.epoch,
      batches: this.loader.length,
    });
    const { losses } = read;
    for (const value of losses) this.state.epochLossSum += value;
    this.state.epochLossCount += losses.length;
    if (losses.length > 0) {
      await call(this.options.callbacks?.onLog, {
        firstStep: read.steps[0]!.step,
        losses,
        accuracies: read.accuracies,
        epochLoss: this.state.epochLossSum / this.state.epochLossCount,
        epoch: this.state.epoch,
      });
    }
    return read.skipped;
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
    if (validation) this.bestEpoch.update(s, result.epoch, validation);
    await call(options.callbacks?.onEpochEnd, result, {
      ...(validation ? { validation } : {}),
      ...(test ? { test } : {}),
      ...(train ? { train } : {}),
    });
  }

  /** The best validation epoch's weights (with `keepBest`), or null before the first epoch. */
  bestStateDict(): Record<string, Tensor> | null {
    return this.bestEpoch.weights;
  }

  /** Loads the best validation epoch's weights into the model (with `keepBest`). */
  restoreBest(): void {
    this.bestEpoch.restore();
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
      setup: this.setup,
      rng: defaultGenerator.getState(),
      augmentation: this.augmented?.getState() ?? null,
      schedule: this.options.lrSchedule
        ? { spec: this.options.lrSchedule, baseLr: this.baseLr, count: this.scheduler!.count }
        : null,
    });
  }

  /**
   * Restores what `getState()` gave, on a trainer built with the same data and options: one with
   * other settings is refused by a `TrainerSetupError` naming each.
   */
  setState(state: TrainerState): void {
    this.checkState(state);
    this.applyState(state);
  }

  /**
   * Refuses a state saved with other settings than this trainer's, naming them, before anything
   * changes: `setState` and `loadCheckpoint` check first and apply after.
   */
  private checkState(state: TrainerState, source = 'Trainer.setState'): void {
    const { augmentation, schedule, setup, data } = state;
    const differences = setupDifferences(setup ?? data ?? {}, this.setup);
    if (differences.length > 0) throw new TrainerSetupError(differences, source);
    if (setup) return;
    // States saved before `setup` recorded the schedule and the augmentation say them here.
    if (
      JSON.stringify(schedule?.spec ?? null) !== JSON.stringify(this.options.lrSchedule ?? null) ||
      (schedule && schedule.baseLr !== this.baseLr)
    ) {
      throw new Error(
        `${source}: the state was saved with lr schedule ${JSON.stringify(schedule ?? 'none')}, this trainer has ${JSON.stringify(this.options.lrSchedule ?? 'none')} from lr ${this.baseLr}`,
      );
    }
    if ((augmentation === null) !== (this.augmented === null)) {
      throw new Error(
        `${source}: the state was saved ${augmentation ? 'with' : 'without'} augmentation, this trainer is ${this.augmented ? 'with' : 'without'}`,
      );
    }
  }

  /** Takes a state `checkState` accepted. */
  private applyState(state: TrainerState): void {
    const {
      loader,
      rng,
      augmentation,
      schedule,
      setup: _setup,
      data: _data,
      ...rest
    } = structuredClone(state);
    if (this.iterator) {
      this.iterator.return?.();
      this.iterator = null;
    }
    this.readBack.dispose();
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
      this.bestEpoch.weights ? { bestModelState: this.bestEpoch.weights } : {},
    );
  }

  /** Resumes from a checkpoint written by `saveCheckpoint`; returns its extra metadata. */
  loadCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Record<string, unknown> {
    const checkpoint = loadCheckpoint(bytes, { source });
    const loaded = [
      ...Object.values(checkpoint.modelState),
      ...Object.values(checkpoint.optimizerState.slots),
    ];
    let rest: Record<string, unknown>;
    try {
      // Every check comes before anything is loaded: a refused checkpoint leaves the trainer,
      // its model and its optimizer as they were.
      const network = this.model as Network;
      if ('config' in network) {
        const differences = configDifferences(checkpoint.config, network.config);
        if (differences.length > 0) {
          throw new Error(
            `${source}: the checkpoint is of another network than this trainer's ${network.config.architecture}: ${differences.join('; ')}`,
          );
        }
      }
      const { trainer, ...others } = checkpoint.training as { trainer?: TrainerState };
      if (!trainer) throw new Error(`${source}: the checkpoint holds no trainer state`);
      this.checkState(trainer, source);
      this.model.loadStateDict(checkpoint.modelState);
      this.optimizer.loadStateDict(checkpoint.optimizerState);
      this.applyState(trainer);
      rest = others;
    } catch (error) {
      for (const t of Object.values(checkpoint.bestModelState ?? {})) t.dispose();
      throw error;
    } finally {
      // The model and the optimizer hold the loaded buffers through handles of their own.
      for (const t of loaded) t.dispose();
    }
    this.bestEpoch.replace(checkpoint.bestModelState ?? null);
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
