import { emptySeries, useApp } from '../store.js';
import type { FromWorker, ToWorker } from '../worker/protocol.js';
import type { TrainSetup } from './setup.js';

/**
 * The page's side of the training worker. Messages arrive at the worker's pace (losses every ten
 * steps);
 * the charts' series are appended in place and the store is told at most every 100 ms, so the
 * page does little work per step and keeps animating.
 */
let worker: Worker | undefined;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let pendingIps: number | null = null;
let pendingLoss: number | null = null;
let nextModelId = 1;
const modelRequests = new Map<number, (bytes: Uint8Array) => void>();

/**
 * Threads for the wasm backend. More than one needs a cross-origin-isolated page (shared memory).
 * By default one core is left to the page, so drawing and charts stay smooth while training: on a
 * 2-core machine that is a single thread, on 8 cores four. `?threads=N` in the address overrides.
 */
export function wantedThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  const asked = Number(new URLSearchParams(location.search).get('threads'));
  if (Number.isInteger(asked) && asked >= 1 && asked <= 16) return asked;
  return Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
}

function send(message: ToWorker): void {
  worker?.postMessage(message);
}

function scheduleFlush(): void {
  if (flushTimer !== undefined) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    const { training, patchTraining } = useApp.getState();
    patchTraining({
      version: training.version + 1,
      imagesPerSecond: pendingIps,
      lastLoss: pendingLoss,
    });
  }, 100);
}

function onMessage(message: FromWorker): void {
  const { training, patchTraining } = useApp.getState();
  const series = training.series;
  switch (message.type) {
    case 'progress':
      patchTraining({ loadProgress: { loaded: message.loaded, total: message.total } });
      break;
    case 'ready':
      patchTraining({
        backend: {
          name: message.backend,
          threads: message.threads,
          ...(message.backendError ? { error: message.backendError } : {}),
        },
      });
      break;
    case 'samples':
      patchTraining({ samples: { pixels: message.pixels, labels: message.labels } });
      break;
    case 'network':
      patchTraining({
        networkError: message.error ?? null,
        params: message.params,
        series: emptySeries(),
        predictions: null,
        confusion: null,
        lastLoss: null,
        imagesPerSecond: null,
        divergence: null,
        error: null,
        version: training.version + 1,
      });
      pendingIps = null;
      break;
    case 'status':
      patchTraining({
        state: message.state,
        step: message.step,
        epoch: message.epoch,
        stepsPerEpoch: message.stepsPerEpoch,
      });
      break;
    case 'losses':
      message.losses.forEach((loss, i) => {
        series.batchStep.push(message.firstStep + i);
        series.batchLoss.push(loss);
        series.batchAccuracy.push(message.accuracies[i]!);
      });
      pendingIps = message.imagesPerSecond;
      pendingLoss = message.losses.at(-1) ?? pendingLoss;
      scheduleFlush();
      break;
    case 'eval':
      if (message.kind === 'quick') {
        series.evalStep.push(message.step);
        series.evalTest.push(message.testAccuracy);
        series.evalCount.push(message.testCount);
      } else {
        series.epochStep.push(message.step);
        series.epochTrain.push(message.trainAccuracy ?? Number.NaN);
        series.epochTest.push(message.testAccuracy);
        series.epochTrainLoss.push(message.trainLoss ?? Number.NaN);
        series.epochTestLoss.push(message.testLoss);
        series.epochCount.push(message.testCount);
      }
      patchTraining({
        predictions: message.predictions,
        confusion: { counts: message.confusion, testCount: message.testCount, kind: message.kind },
        version: training.version + 1,
      });
      break;
    case 'divergence': {
      const { type: _, ...divergence } = message;
      patchTraining({ divergence });
      break;
    }
    case 'inside':
      patchTraining({
        inside: {
          step: message.step,
          source: message.source,
          ...(message.label === undefined ? {} : { label: message.label }),
          layers: message.layers,
        },
        insideVersion: training.insideVersion + 1,
      });
      break;
    case 'model': {
      const resolve = modelRequests.get(message.id);
      modelRequests.delete(message.id);
      resolve?.(message.bytes);
      break;
    }
    case 'error':
      patchTraining({ error: message.message });
      break;
  }
}

/** Starts the worker (once): it picks its backend, downloads MNIST and builds the network. */
export function ensureWorker(setup: TrainSetup): void {
  if (worker) return;
  worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => {
    useApp.getState().patchTraining({ error: `the training worker failed: ${event.message}` });
  };
  send({ type: 'setup', setup });
  send({ type: 'init', base: import.meta.env.BASE_URL, threads: wantedThreads() });
}

export const trainer = {
  setup: (setup: TrainSetup) => send({ type: 'setup', setup }),
  /** Start or resume; after a stop, `fresh` starts over with a new network. */
  start: (fresh = false) => send({ type: 'start', fresh }),
  pause: () => send({ type: 'pause' }),
  step: () => send({ type: 'step' }),
  stop: () => send({ type: 'stop' }),
  reset: () => send({ type: 'reset' }),
  /** The inside view opens (`watch`) or closes; `input` is the drawing (null: a test image). */
  inspect: (watch: boolean, input: Float32Array | null) =>
    send({ type: 'inspect', watch, input: input ? Float32Array.from(input) : null }),
  /** The network being trained, as a model file. */
  model(): Promise<Uint8Array> {
    const id = nextModelId++;
    return new Promise((resolve) => {
      modelRequests.set(id, resolve);
      send({ type: 'getModel', id });
    });
  },
};
