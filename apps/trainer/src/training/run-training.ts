import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataLoader, type DataLoaderState } from '@scratchnet/datasets';
import { createNetwork, type Network } from '@scratchnet/layers';
import { loadCheckpoint, saveCheckpoint, saveModel } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import {
  defaultGenerator,
  formatShape,
  getBackend,
  manualSeed,
  predictClasses,
  type RandomState,
} from '@scratchnet/tensor';
import {
  createOptimizer,
  type DatasetName,
  type ModelName,
  type OptimizerName,
} from './choices.js';
import { loadTrainingData } from './data.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { type EpochRecord, MetricsLog, type StepRecord } from './metrics-log.js';
import type { TrainingReporter } from './reporter.js';
import { writeFinalPictures, writeInitialPictures } from './run-pictures.js';

export interface TrainOptions {
  model: ModelName;
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
  trainLimit?: number;
  testLimit?: number;
  /** Stop after this many optimizer steps in total, writing a checkpoint (tests, Ctrl-C). */
  stopAfterSteps?: number;
  /**
   * What a NaN or infinite loss or gradient does: 'stop' (the default) ends the run with an error
   * naming the step and the tensor; 'skip' drops that batch (no update) and goes on.
   */
  onNan?: 'stop' | 'skip';
  /**
   * How batches are drawn: 'shuffle' (the default) visits every image once per epoch in a new
   * order; 'replacement' draws each image independently, as the book's `Trainer` does with
   * `np.random.choice(train_size, batch_size)`.
   */
  sampling?: 'shuffle' | 'replacement';
}

/** Training met a NaN or infinite loss or gradient (with `onNan: 'stop'`). */
export class NonFiniteError extends Error {
  override name = 'NonFiniteError';
  constructor(
    message: string,
    /** The optimizer step (1-based, over the whole run) whose batch gave it. */
    readonly step: number,
    /** 'loss', or the parameter whose gradient it was, e.g. 'fc1.weight'. */
    readonly tensorName: string,
  ) {
    super(message);
  }
}

/** Counts NaN and ±Infinity values, or null when all are finite. */
function nonFinite(values: Float32Array): { nan: number; inf: number } | null {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) {
      if (Number.isNaN(v)) nan++;
      else inf++;
    }
  }
  return nan + inf > 0 ? { nan, inf } : null;
}

/** The loss, or else the first parameter gradient, that is not finite; null when all are. */
export function findNonFinite(
  lossValue: number,
  network: Network,
): { tensorName: string; description: string } | null {
  if (!Number.isFinite(lossValue))
    return { tensorName: 'loss', description: `the loss is ${lossValue}` };
  for (const [name, parameter] of network.namedParameters()) {
    if (!parameter.grad) continue;
    const values = parameter.grad.dataSync();
    const found = nonFinite(values);
    if (found) {
      const parts = [found.nan && `${found.nan} NaN`, found.inf && `${found.inf} infinite`]
        .filter(Boolean)
        .join(' and ');
      return {
        tensorName: name,
        description: `the gradient of ${name} ${formatShape(parameter.shape)} has ${parts} value(s) of ${values.length.toLocaleString('en-US')}`,
      };
    }
  }
  return null;
}

/** Where a run stands between two steps; saved in every checkpoint. */
interface Progress {
  epoch: number;
  step: number;
  /** Sums over the current epoch's batches so far, for its mean loss and running accuracy. */
  epochLossSum: number;
  epochCorrect: number;
  epochSeen: number;
  epochSeconds: number;
  /** Batches dropped for a NaN or infinite loss or gradient (`onNan: 'skip'`), in the whole run. */
  skippedBatches?: number;
}

export interface TrainResult {
  network: Network;
  /** The test-set evaluation of the finished network (absent when the run stopped early). */
  finalTest?: Evaluation;
  /** Every file the run wrote, by what it is. */
  files: Record<string, string>;
  /** False when the run stopped early (Ctrl-C or stopAfterSteps) after writing a checkpoint. */
  completed: boolean;
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
 * Trains one network as the book's `train_convnet.py` does, with a checkpoint after every epoch
 * (and on interruption) so that `resume` continues to exactly the weights of an uninterrupted run:
 * the weights, the optimizer's state, the random generator and the data loader's position are
 * all restored.
 */
export async function runTraining(
  options: TrainOptions,
  reporter: TrainingReporter,
): Promise<TrainResult> {
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const checkpointPath = join(out, CHECKPOINT_FILE);
  const data = loadTrainingData(options);

  manualSeed(options.seed);
  const network = createNetwork({ architecture: options.model });
  const optimizer = createOptimizer(options.optimizer, network.parameters(), {
    lr: options.lr,
    weightDecay: options.weightDecay,
  });
  const loader = new DataLoader(data.train, {
    batchSize: options.batchSize,
    shuffle: true,
    replacement: options.sampling === 'replacement',
    seed: options.seed,
  });
  const log = new MetricsLog(out);
  let initialPictures: Record<string, string> = {};
  let lastTest: Evaluation | undefined;
  let progress: Progress = {
    epoch: 0,
    step: 0,
    epochLossSum: 0,
    epochCorrect: 0,
    epochSeen: 0,
    epochSeconds: 0,
  };

  if (options.resume && existsSync(checkpointPath)) {
    const checkpoint = loadCheckpoint(readFileSync(checkpointPath), { source: checkpointPath });
    if (checkpoint.config.architecture !== options.model) {
      throw new Error(
        `${checkpointPath} holds a ${checkpoint.config.architecture} checkpoint, not ${options.model}; use another --out or the same --model`,
      );
    }
    const savedSampling =
      (checkpoint.training.options as Partial<TrainOptions> | undefined)?.sampling ?? 'shuffle';
    if (savedSampling !== (options.sampling ?? 'shuffle')) {
      throw new Error(
        `${checkpointPath} was trained with --sampling ${savedSampling}; resume it with the same --sampling (got ${options.sampling ?? 'shuffle'})`,
      );
    }
    network.loadStateDict(checkpoint.modelState);
    optimizer.loadStateDict(checkpoint.optimizerState);
    defaultGenerator.setState(checkpoint.training.rng as RandomState);
    loader.setState(checkpoint.training.loader as DataLoaderState);
    progress = checkpoint.training.progress as Progress;
    log.truncateTo(progress.step, progress.epoch);
    reporter.resumed(checkpointPath, progress.epoch, progress.step);
    initialPictures = writeInitialPictures(out, network, { resumed: true });
  } else {
    log.reset();
    reporter.started(
      `training ${options.model} on ${options.dataset} (${data.train.length} train / ${data.test.length} test images), ${network.parameterCount().toLocaleString('en-US')} parameters, ${options.optimizer} lr ${optimizer.lr}, batch ${options.batchSize}, ${options.epochs} epoch(s), seed ${options.seed}, backend ${describeBackend()}`,
    );
    initialPictures = writeInitialPictures(out, network);
  }

  const writeCheckpoint = () => {
    const bytes = saveCheckpoint(network, optimizer, {
      epoch: progress.epoch,
      step: progress.step,
      rng: defaultGenerator.getState(),
      loader: loader.getState(),
      progress,
      options: { ...options, resume: false },
    });
    writeFileAtomicSync(checkpointPath, bytes);
  };

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    network.train();
    while (progress.epoch < options.epochs) {
      reporter.epochStarted(progress.epoch, options.epochs, loader.length, loader.batchIndex);
      let epochStart = performance.now();
      for (const { x, labels } of loader) {
        optimizer.zeroGrad();
        const logits = network.forward(x);
        const loss = network.lossFromLogits(logits, labels);
        loss.backward();
        const lossValue = loss.item();
        const bad = findNonFinite(lossValue, network);
        if (bad) {
          const step = progress.step + 1;
          const where = `step ${step} (epoch ${progress.epoch + 1}, batch ${loader.batchIndex} of ${loader.length})`;
          if ((options.onNan ?? 'stop') === 'stop') {
            throw new NonFiniteError(
              `${where}: ${bad.description}. Training diverged: lower the learning rate (--lr, now ${optimizer.lr}), or pass --on-nan skip to skip such batches.`,
              step,
              bad.tensorName,
            );
          }
          // Skip the batch: no update, nothing counted; the weights stay as they were.
          optimizer.zeroGrad();
          progress.skippedBatches = (progress.skippedBatches ?? 0) + 1;
          reporter.skipped?.(`${where}: ${bad.description}; batch skipped (--on-nan skip)`);
          await new Promise((done) => setImmediate(done));
          continue;
        }
        optimizer.step();
        const predicted = predictClasses(logits);
        const correct = predicted.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0);
        progress.step++;
        progress.epochLossSum += lossValue * labels.length;
        progress.epochCorrect += correct;
        progress.epochSeen += labels.length;
        const step: StepRecord = { step: progress.step, epoch: progress.epoch, loss: lossValue };
        log.appendStep(step);
        reporter.stepDone(
          loader.batchIndex,
          progress.epochLossSum / progress.epochSeen,
          labels.length,
        );
        // Let SIGINT handlers run: a signal is delivered only when the event loop gets a turn.
        await new Promise((done) => setImmediate(done));
        if (
          interrupted ||
          (options.stopAfterSteps !== undefined && progress.step >= options.stopAfterSteps)
        ) {
          progress.epochSeconds += (performance.now() - epochStart) / 1000;
          epochStart = performance.now();
          writeCheckpoint();
          reporter.interrupted(checkpointPath, progress.step);
          return { network, files: { checkpoint: checkpointPath }, completed: false };
        }
      }
      progress.epochSeconds += (performance.now() - epochStart) / 1000;
      const test = await evaluate(network, data.test, data.classNames.length);
      lastTest = test;
      const record: EpochRecord = {
        epoch: progress.epoch + 1,
        step: progress.step,
        trainLoss: progress.epochLossSum / progress.epochSeen,
        trainAccuracy: progress.epochCorrect / progress.epochSeen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        seconds: progress.epochSeconds,
      };
      log.appendEpoch(record);
      reporter.epochDone(record);
      progress = {
        epoch: progress.epoch + 1,
        step: progress.step,
        epochLossSum: 0,
        epochCorrect: 0,
        epochSeen: 0,
        epochSeconds: 0,
        skippedBatches: progress.skippedBatches,
      };
      writeCheckpoint();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const modelPath = join(out, MODEL_FILE);
  writeFileAtomicSync(
    modelPath,
    saveModel(network, { metadata: { dataset: options.dataset, seed: String(options.seed) } }),
  );
  // The last epoch's evaluation is of these very weights; a resumed run that had nothing left to do
  // evaluates once.
  const finalTest = lastTest ?? (await evaluate(network, data.test, data.classNames.length));
  const pictures = await writeFinalPictures(out, network, data, finalTest, log);
  const files = {
    model: modelPath,
    checkpoint: checkpointPath,
    ...log.files,
    ...initialPictures,
    ...pictures,
  };
  return { network, finalTest, files, completed: true };
}
