import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { trainValidationSplit } from '@scratchnet/datasets';
import { createNetwork, type Network } from '@scratchnet/layers';
import { Adam, createOptimizer, type Optimizer } from '@scratchnet/optimizers';
import { saveModel } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { getBackend, manualSeed } from '@scratchnet/tensor';
import {
  type EpochResult,
  type Evaluation,
  evaluate,
  type LrScheduleType,
  NonFiniteError,
  Trainer,
  type TrainerOptions,
  type TrainerSetup,
  TrainerSetupError,
} from '@scratchnet/training';
import type { DatasetName, ModelName, OptimizerName } from './choices.js';
import { loadTrainingData } from './data.js';
import { MetricsLog } from './metrics-log.js';
import { readNetworkSpec } from './network-spec.js';
import type { TrainingReporter } from './reporter.js';
import { writeFinalPictures, writeInitialPictures } from './run-pictures.js';

export interface TrainOptions {
  model: ModelName;
  /** A JSON network description to train instead of `model` (as `scratchnet import --spec`). */
  spec?: string;
  dataset: DatasetName;
  dataDir?: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** Undefined: the optimizer's book default (Adam 0.001, the others 0.01). */
  lr?: number;
  weightDecay: number;
  seed: number;
  out: string;
  resume: boolean;
  /** Delete a run already in `out` and start over (without it, such a folder is refused). */
  overwrite?: boolean;
  /**
   * Move a run already in `out` aside (to a sibling folder named by the time) instead of refusing
   * it: for the default folder, so that running the same command twice loses nothing.
   */
  movePrevious?: boolean;
  trainLimit?: number;
  testLimit?: number;
  /** Stop after this many optimizer steps in total, writing a checkpoint (tests, Ctrl-C). */
  stopAfterSteps?: number;
  /** What a NaN or infinite loss or gradient does: 'stop' (the default) or 'skip' the batch. */
  onNan?: 'stop' | 'skip';
  /** 'shuffle' (default) or 'replacement', as the book's `Trainer` draws batches. */
  sampling?: 'shuffle' | 'replacement';
  /** The book's exact procedure: sampling with replacement and the book's Adam ε. */
  book?: boolean;
  lrSchedule?: LrScheduleType;
  warmupEpochs?: number;
  clipGradNorm?: number;
  /** Stop after this many epochs without a better validation loss. */
  earlyStopping?: number;
  /** Restore (and save as the model) the best validation epoch's weights. */
  keepBest?: boolean;
  /** Random shifts, rotations and scaling of the training images (the book's ch. 8). */
  augment?: boolean;
  /** Hold out this many training images as the validation set. */
  validation?: number;
}

export interface TrainResult {
  network: Network;
  /** The test-set evaluation of the finished network (absent when the run stopped early). */
  finalTest?: Evaluation;
  /** Every file the run wrote, by what it is. */
  files: Record<string, string>;
  /** False when the run stopped early (Ctrl-C or stopAfterSteps) after writing a checkpoint. */
  completed: boolean;
  /** The best validation epoch (1-based), with --validation. */
  bestEpoch?: number;
}

/** The active backend, with its thread count where it has one. */
function describeBackend(): string {
  const backend = getBackend() as { name: string; threads?: number };
  if (!backend.threads) return backend.name;
  return `${backend.name} (${backend.threads} thread${backend.threads === 1 ? '' : 's'})`;
}

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const MODEL_FILE = 'model.safetensors';

/**
 * Files whose presence says a folder holds a run worth keeping. A run killed before its first
 * checkpoint leaves only metrics and pictures, which a new run rewrites.
 */
const RUN_FILES = [CHECKPOINT_FILE, MODEL_FILE];

/**
 * Makes sure `out` will hold this run only: a folder that holds another run is continued
 * (`--resume`), cleared (`--overwrite`), moved aside (the default folder) or refused, so that two
 * runs' files never mix. `--resume` on a folder with no checkpoint is an error naming the path.
 */
function prepareOutput(
  out: string,
  options: Pick<TrainOptions, 'resume' | 'overwrite' | 'movePrevious'>,
  reporter: TrainingReporter,
): void {
  const checkpointPath = join(out, CHECKPOINT_FILE);
  if (options.resume) {
    if (!existsSync(checkpointPath)) {
      throw new Error(
        `--resume: ${checkpointPath} does not exist, so there is no run to continue in ${out} (leave out --resume to start one there)`,
      );
    }
    return;
  }
  const held = RUN_FILES.filter((file) => existsSync(join(out, file)));
  if (held.length === 0) return;
  if (options.overwrite) {
    // Never a folder that holds the current one, the home folder or the root.
    const cwd = process.cwd();
    if (out === dirname(out) || out === homedir() || !relative(out, cwd).startsWith('..')) {
      throw new Error(`--overwrite: refusing to delete ${out}, which holds the current folder`);
    }
    rmSync(out, { recursive: true, force: true });
    return;
  }
  if (options.movePrevious) {
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
    let aside = join(dirname(out), stamp);
    for (let n = 2; existsSync(aside); n++) aside = join(dirname(out), `${stamp}-${n}`);
    renameSync(out, aside);
    reporter.movedPrevious?.(out, aside);
    return;
  }
  throw new Error(
    `${out} already holds a run (${held.join(', ')}): pass --resume to continue it, --overwrite to delete it and start over, or -o with another folder`,
  );
}

/**
 * The options a resumed run must share with the checkpoint's that the library cannot see: the
 * network (`--model`, `--spec`), the batches and the schedule (`--batch-size`, `--seed`, …) are
 * the Trainer's to check (`TrainerSetupError`, worded below with these flags).
 */
const sameAsCheckpoint = ['book', 'validation'] as const;

function flagName(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flags behind each setting the Trainer records (`TrainerSetup`). */
const setupFlags: Record<keyof TrainerSetup, string> = {
  samples: '--train-limit (the number of training images)',
  batchSize: '--batch-size',
  sampling: '--sampling (or --book)',
  seed: '--seed',
  augment: '--augment',
  lrSchedule: '--lr-schedule and --warmup-epochs',
  lr: '--lr',
  clipGradNorm: '--clip-grad-norm',
  optimizer: '--optimizer',
};

/** What an option left out means, so that leaving it out and giving its default compare equal. */
const optionDefaults: Partial<Record<(typeof sameAsCheckpoint)[number], unknown>> = {
  book: false,
};

function optionValue(key: (typeof sameAsCheckpoint)[number], value: unknown): unknown {
  return value ?? optionDefaults[key] ?? '(none)';
}

/** Resumes `trainer` from the checkpoint, naming in flags what differs from it. */
function resumeFrom(trainer: Trainer, checkpointPath: string, options: TrainOptions): void {
  let saved: Partial<TrainOptions> | undefined;
  try {
    ({ options: saved } = trainer.loadCheckpoint(readFileSync(checkpointPath), checkpointPath) as {
      options?: Partial<TrainOptions>;
    });
  } catch (error) {
    if (!(error instanceof TrainerSetupError)) throw error;
    const differences = error.differences.map(
      ({ name, saved, current }) => `${setupFlags[name]}: ${saved} then, ${current} now`,
    );
    throw new Error(
      `${checkpointPath} was trained with other settings: ${differences.join('; ')}. Resume it with the same, or start a new run`,
    );
  }
  for (const key of sameAsCheckpoint) {
    const was = optionValue(key, saved?.[key]);
    const now = optionValue(key, options[key]);
    if (was !== now) {
      throw new Error(
        `${checkpointPath} was trained with ${flagName(key)} ${was}; resume it with the same ${flagName(key)} (got ${now})`,
      );
    }
  }
}

function buildOptimizer(options: TrainOptions, network: Network): Optimizer {
  if (options.book && options.optimizer === 'adam') {
    // The book's common/optimizer.py puts ε on √v before the bias correction.
    return new Adam(network.parameters(), {
      ...(options.lr === undefined ? {} : { lr: options.lr }),
      weightDecay: options.weightDecay,
      epsBeforeCorrection: true,
    });
  }
  return createOptimizer(options.optimizer, network.parameters(), {
    lr: options.lr,
    weightDecay: options.weightDecay,
  });
}

/**
 * Trains one network with `@scratchnet/training`'s `Trainer` (the book's `train_convnet.py` by
 * default) and keeps what a command line adds: files, Ctrl-C, progress and pictures. A checkpoint
 * is written after every epoch and on interruption, so `resume` continues to exactly the weights
 * of an uninterrupted run.
 */
export async function runTraining(
  options: TrainOptions,
  reporter: TrainingReporter,
): Promise<TrainResult> {
  const out = resolve(options.out);
  const checkpointPath = join(out, CHECKPOINT_FILE);
  prepareOutput(out, options, reporter);
  mkdirSync(out, { recursive: true });
  const data = loadTrainingData(options);
  let trainData = data.train;
  let validation: typeof data.train | undefined;
  if (options.validation !== undefined) {
    const split = trainValidationSplit(data.train, {
      validationSize: options.validation,
      seed: options.seed,
    });
    trainData = split.train;
    validation = split.validation;
  }
  if ((options.keepBest || options.earlyStopping !== undefined) && !validation) {
    throw new Error(
      '--keep-best and --early-stopping watch a validation set: add --validation N (e.g. 5000) to hold out N training images',
    );
  }

  manualSeed(options.seed);
  const network = createNetwork(
    options.spec ? readNetworkSpec(options.spec) : { architecture: options.model },
  );
  const optimizer = buildOptimizer(options, network);
  const log = new MetricsLog(out);
  let initialPictures: Record<string, string> = {};
  let lastTest: Evaluation | undefined;
  let interrupted = false;

  const writeCheckpoint = async () =>
    writeFileAtomicSync(
      checkpointPath,
      await trainer.saveCheckpoint({ options: { ...options, resume: false } }),
    );

  const trainerOptions: TrainerOptions = {
    optimizer,
    epochs: options.epochs,
    batchSize: options.batchSize,
    sampling: options.book ? 'replacement' : (options.sampling ?? 'shuffle'),
    seed: options.seed,
    test: data.test,
    ...(validation ? { validation } : {}),
    ...(options.lrSchedule && options.lrSchedule !== 'constant'
      ? { lrSchedule: { type: options.lrSchedule, warmupEpochs: options.warmupEpochs ?? 0 } }
      : options.warmupEpochs
        ? { lrSchedule: { type: 'constant', warmupEpochs: options.warmupEpochs } }
        : {}),
    ...(options.clipGradNorm === undefined ? {} : { clipGradNorm: options.clipGradNorm }),
    ...(options.augment ? { augment: {} } : {}),
    ...(options.earlyStopping === undefined
      ? {}
      : { earlyStopping: { patience: options.earlyStopping } }),
    ...(options.keepBest ? { keepBest: true } : {}),
    onNonFinite: options.onNan ?? 'stop',
    // Losses come back ten steps at a time (steps.csv still gets every one).
    logEvery: 10,
    callbacks: {
      onEpochBegin: ({ epoch, epochs, batches, batchIndex }) =>
        reporter.epochStarted(epoch, epochs, batches, batchIndex),
      onLog: ({ firstStep, losses, epochLoss, epoch }) => {
        for (const [i, loss] of losses.entries())
          log.appendStep({ step: firstStep + i, epoch, loss });
        reporter.lossRead?.(epochLoss);
      },
      onStepEnd: async ({ step, batchIndex, batchSize }) => {
        reporter.stepDone(batchIndex, batchSize);
        if (
          interrupted ||
          (options.stopAfterSteps !== undefined && step >= options.stopAfterSteps)
        ) {
          trainer.stop();
        }
      },
      onSkip: ({ message }) => reporter.skipped?.(`${message} (--on-nan skip)`),
      onEpochEnd: async (record, evaluations) => {
        lastTest = evaluations.test;
        log.appendEpoch(record);
        reporter.epochDone(record);
        if (record.validationLoss !== undefined && trainer.best?.epoch === record.epoch)
          reporter.bestEpoch?.(record.epoch);
        await writeCheckpoint();
      },
    },
  };
  const trainer = new Trainer(network, trainData, trainerOptions);

  // Listening from before the first line is printed: a Ctrl-C at any point from then on stops the
  // run after its next step, with a checkpoint.
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: Awaited<ReturnType<Trainer['fit']>>;
  try {
    result = await startAndFit();
  } catch (error) {
    if (error instanceof NonFiniteError) {
      throw new NonFiniteError(
        `${error.where}. Training diverged: lower the learning rate (--lr, now ${trainer.optimizer.lr}), or pass --on-nan skip to skip such batches.`,
        error.step,
        error.tensorName,
        error.where,
      );
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  async function startAndFit() {
    if (options.resume) {
      resumeFrom(trainer, checkpointPath, options);
      log.truncateTo(trainer.step, trainer.epoch);
      reporter.resumed(checkpointPath, trainer.epoch, trainer.step);
      initialPictures = writeInitialPictures(out, network, { resumed: true });
    } else {
      log.reset();
      const extras = [
        options.book && "the book's procedure",
        options.augment && 'augmented',
        trainerOptions.lrSchedule && `${trainerOptions.lrSchedule.type} schedule`,
        validation && `${validation.length} validation images`,
      ].filter(Boolean);
      reporter.started(
        `training ${network.config.architecture} on ${options.dataset} (${trainData.length} train / ${data.test.length} test images), ${network.parameterCount().toLocaleString('en-US')} parameters, ${options.optimizer} lr ${trainer.baseLr}, batch ${options.batchSize}, ${options.epochs} epoch(s), seed ${options.seed}, backend ${describeBackend()}${extras.length ? `, ${extras.join(', ')}` : ''}`,
      );
      initialPictures = writeInitialPictures(out, network);
    }
    return trainer.fit();
  }
  if (!result.completed) {
    await writeCheckpoint();
    reporter.interrupted(checkpointPath, trainer.step);
    return { network, files: { checkpoint: checkpointPath }, completed: false };
  }
  if (result.stoppedEarly) reporter.stoppedEarly?.(result.history.length, result.bestEpoch!);

  const modelPath = join(out, MODEL_FILE);
  writeFileAtomicSync(
    modelPath,
    saveModel(network, { metadata: { dataset: options.dataset, seed: String(options.seed) } }),
  );
  // With --keep-best the network now holds the best epoch's weights: evaluate those. Otherwise the
  // last epoch's evaluation is of these very weights; a resumed run with nothing left evaluates.
  const finalTest =
    !options.keepBest && lastTest
      ? lastTest
      : await evaluate(network, data.test, {
          betweenBatches: nextImmediate,
          onNonFinite: options.onNan === 'skip' ? 'keep' : 'throw',
        });
  const pictures = await writeFinalPictures(out, network, data, finalTest, log);
  trainer.dispose();
  optimizer.dispose(); // made here, for this run
  const files = {
    model: modelPath,
    checkpoint: checkpointPath,
    ...log.files,
    ...initialPictures,
    ...pictures,
  };
  return {
    network,
    finalTest,
    files,
    completed: true,
    ...(result.bestEpoch === undefined ? {} : { bestEpoch: result.bestEpoch }),
  };
}

const nextImmediate = () => new Promise<void>((done) => setImmediate(done));

export type { EpochResult };
export { NonFiniteError };
