/**
 * The experiment worker: the book's chapter-4 and chapter-6 experiments, run by the library's
 * functions (@scratchnet/tensor's `gradientDescent`, @scratchnet/training's `racePath`,
 * `activationHistograms`, `compareWeightInits`, `compareBatchNorm`, `overfitExperiment`, the same
 * ones `scratchnet book` runs), so the page never waits on them. The quick ones answer in one
 * update; the MNIST ones send their curves as they grow, one at a time, and stop at `cancel`
 * (an `AbortSignal` the library checks between steps). MNIST is loaded for the first of them.
 */
import type { ArrayDataset } from '@scratchnet/datasets';
import { gradientDescent } from '@scratchnet/tensor';
import {
  activationHistograms,
  compareBatchNorm,
  compareWeightInits,
  overfitExperiment,
  RACE_OPTIMIZERS,
  type RaceOptimizer,
  racePath,
  WEIGHT_INITS,
} from '@scratchnet/training';
import { loadMnist } from '../lib/mnist.js';
import {
  type ExperimentRequest,
  type ExperimentUpdate,
  type FromExperimentWorker,
  MNIST_KINDS,
  OVERFIT_SETTINGS,
  type Point,
  type ToExperimentWorker,
} from './experiment-protocol.js';
import { mnistDataset, startBackend } from './worker-setup.js';

/** The worker's global scope (typed by hand: the DOM and WebWorker libs do not mix). */
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<ToExperimentWorker>) => void) | null;
};

/** Losses are sent in chunks at most this often (ms), so the page re-renders a few times a second. */
const SEND_EVERY_MS = 150;

let base = '/';
let ready: Promise<void> | undefined;
let mnist: Promise<{ train: ArrayDataset; test: ArrayDataset }> | undefined;
/** The MNIST experiment running (one at a time), and how to stop it. */
let current: { id: number; controller: AbortController; finished: Promise<void> } | undefined;
/** Cancels that arrived before their run started. */
const cancelledEarly = new Set<number>();

function post(message: FromExperimentWorker): void {
  scope.postMessage(message);
}

function update(id: number, message: ExperimentUpdate): void {
  post({ type: 'update', id, update: message });
}

function loadMnistOnce(): Promise<{ train: ArrayDataset; test: ArrayDataset }> {
  mnist ??= loadMnist(base, (loaded, total) => post({ type: 'mnist', loaded, total })).then(
    (data) => ({
      train: mnistDataset(data.trainImages, data.trainLabels, { flatten: true }),
      test: mnistDataset(data.testImages, data.testLabels, { flatten: true }),
    }),
  );
  // A failed download may be retried by the next run.
  mnist.catch(() => {
    mnist = undefined;
  });
  return mnist;
}

async function init(threads: number): Promise<void> {
  post(await startBackend(threads));
}

const bowl4 = (x: Float64Array) => x[0]! ** 2 + x[1]! ** 2;

/** The quick experiments: computed at once, one update. */
function quick(id: number, request: ExperimentRequest): void {
  switch (request.kind) {
    case 'gradientDescent': {
      const { x, history } = gradientDescent(bowl4, request.start, {
        lr: request.lr,
        stepNum: request.steps,
      });
      const path = [...history, x].map((p) => [p[0]!, p[1]!] as Point);
      update(id, { kind: 'gradientDescent', path });
      break;
    }
    case 'race': {
      const paths = {} as Record<RaceOptimizer, Point[]>;
      for (const name of RACE_OPTIMIZERS) {
        paths[name] = racePath(name, request.lrs[name], request.steps);
      }
      update(id, { kind: 'race', paths });
      break;
    }
    case 'histograms': {
      const panels = WEIGHT_INITS.map((init) => ({
        init,
        ...activationHistograms(init, request.activation),
      }));
      update(id, { kind: 'histograms', activation: request.activation, panels });
      break;
    }
    default:
      throw new Error(`${request.kind} is not a quick experiment`);
  }
}

/** The MNIST experiments, sending their curves as they grow; `signal` stops them. */
async function training(id: number, request: ExperimentRequest, signal: AbortSignal) {
  const { train, test } = await loadMnistOnce();
  signal.throwIfAborted();
  switch (request.kind) {
    case 'weightInit': {
      let first = 0;
      let pending: Record<string, number[]> = {};
      let sentAt = performance.now();
      const flush = (next: number) => {
        if (Object.keys(pending).length === 0) return;
        update(id, { kind: 'weightInit', first, losses: pending });
        pending = {};
        first = next;
        sentAt = performance.now();
      };
      await compareWeightInits(train, {
        iterations: request.iterations,
        signal,
        onIteration: (i, losses) => {
          for (const [name, loss] of Object.entries(losses)) {
            pending[name] = [...(pending[name] ?? []), loss];
          }
          if (performance.now() - sentAt > SEND_EVERY_MS || i === request.iterations - 1) {
            flush(i + 1);
          }
        },
      });
      break;
    }
    case 'batchNorm':
      await compareBatchNorm(train, {
        weightScales: request.weightScales,
        epochs: request.epochs,
        signal,
        onEpoch: ({ weightScale, epoch, trainAccuracy, batchNormTrainAccuracy }) => {
          update(id, {
            kind: 'batchNorm',
            index: request.weightScales.indexOf(weightScale),
            weightScale,
            epoch,
            trainAccuracy,
            batchNormTrainAccuracy,
          });
        },
      });
      break;
    case 'overfit': {
      const settings = OVERFIT_SETTINGS[request.regularizer];
      await overfitExperiment(train, test, {
        epochs: request.epochs,
        weightDecayLambda: settings.weightDecayLambda,
        ...(settings.dropoutRatio !== undefined
          ? { dropoutRatio: settings.dropoutRatio, until: 'trainer' as const }
          : {}),
        signal,
        onEpoch: ({ epoch, trainAccuracy, testAccuracy }) => {
          update(id, { kind: 'overfit', epoch, trainAccuracy, testAccuracy });
        },
      });
      break;
    }
    default:
      throw new Error(`${request.kind} does not train`);
  }
}

async function run(id: number, request: ExperimentRequest): Promise<void> {
  await ready;
  if (cancelledEarly.delete(id)) {
    post({ type: 'end', id, how: 'cancelled' });
    return;
  }
  if (!MNIST_KINDS.includes(request.kind)) {
    try {
      quick(id, request);
      post({ type: 'end', id, how: 'done' });
    } catch (error) {
      post({ type: 'end', id, how: 'error', message: (error as Error).message });
    }
    return;
  }
  // One trains at a time: the one running stops first (its step under way ends).
  const previous = current;
  previous?.controller.abort();
  const controller = new AbortController();
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const job = { id, controller, finished };
  current = job;
  await previous?.finished;
  try {
    if (!controller.signal.aborted) await training(id, request, controller.signal);
    post(
      controller.signal.aborted
        ? { type: 'end', id, how: 'cancelled' }
        : { type: 'end', id, how: 'done' },
    );
  } catch (error) {
    post(
      controller.signal.aborted
        ? { type: 'end', id, how: 'cancelled' }
        : { type: 'end', id, how: 'error', message: (error as Error).message },
    );
  } finally {
    if (current === job) current = undefined;
    finish();
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      base = message.base;
      ready ??= init(message.threads);
      break;
    case 'run':
      void run(message.id, message.request);
      break;
    case 'cancel':
      if (current?.id === message.id) current.controller.abort();
      else cancelledEarly.add(message.id);
      break;
  }
};
