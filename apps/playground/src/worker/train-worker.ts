/**
 * The training worker: it owns MNIST, the network and its `Trainer` (@scratchnet/training, the
 * same one `scratchnet train` runs), so the page never waits on a training step. It runs one step
 * at a time and yields to its message queue between steps, so pause, step, stop and reset take
 * effect at once. It only turns the trainer's events into messages.
 */
import type { ArrayDataset } from '@scratchnet/datasets';
import { createNetwork, type Network } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { type Evaluation, evaluate, NonFiniteError, Trainer } from '@scratchnet/training';
import { loadMnist } from '../lib/mnist.js';
import { inspectNetwork, previewNetwork, saveNetwork } from '../lib/network.js';
import { DEFAULT_SETUP, formatLayers, type TrainSetup, trainerOptionsFor } from '../lib/setup.js';
import { ThroughputWindow } from '../lib/train-stats.js';
import type { FromWorker, RunState, ToWorker } from './protocol.js';
import { mnistDataset, startBackend } from './worker-setup.js';

/** The worker's global scope (typed by hand: the DOM and WebWorker libs do not mix). */
const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const PIXELS = 784;
/** Test images shown in the prediction grid. */
const SAMPLE_COUNT = 48;
/** Quick evaluations during an epoch use this many test images, every QUICK_EVERY steps. */
const QUICK_TEST = 1000;
const QUICK_EVERY = 50;
/** While the inside view watches, the network's filters and outputs are posted this often. */
const INSIDE_EVERY = 100;

let train: ArrayDataset | undefined;
let test: ArrayDataset | undefined;
let setup: TrainSetup = DEFAULT_SETUP;
let network: Network | undefined;
let trainer: Trainer | undefined;
let state: RunState = 'loading';
let loopRunning = false;
const throughput = new ThroughputWindow();
let testImage: { pixels: Float32Array; label: number } | undefined;
let inspect: { watch: boolean; input: Float32Array | null } = { watch: false, input: null };

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function postStatus(): void {
  post({
    type: 'status',
    state,
    step: trainer?.step ?? 0,
    epoch: trainer?.epoch ?? 0,
    stepsPerEpoch: trainer?.batchesPerEpoch ?? 0,
  });
}

function postEvaluation(kind: 'quick' | 'epoch', testResult: Evaluation, trainResult?: Evaluation) {
  if (!trainer) return;
  const confusion = testResult.confusion.flat();
  post({
    type: 'eval',
    step: trainer.step,
    epoch: trainer.step / trainer.batchesPerEpoch,
    kind,
    ...(trainResult ? { trainAccuracy: trainResult.accuracy, trainLoss: trainResult.loss } : {}),
    testAccuracy: testResult.accuracy,
    testLoss: testResult.loss,
    testCount: testResult.samples,
    confusion,
    predictions: Array.from(testResult.predictions.subarray(0, SAMPLE_COUNT)),
  });
}

/** Posts the network's filters and every layer's output (for the inside view, when it watches). */
function postInside(): void {
  if (!inspect.watch || !network) return;
  const input = inspect.input ?? testImage?.pixels ?? null;
  const layers = inspectNetwork(network, input, { maxChannels: 32, maxFilters: 32 });
  const transfer: Transferable[] = [];
  for (const layer of layers) {
    if (layer.filters) transfer.push(layer.filters.data.buffer);
    if (layer.output) transfer.push(layer.output.data.buffer);
  }
  post(
    {
      type: 'inside',
      step: trainer?.step ?? 0,
      source: inspect.input ? 'drawing' : 'test',
      ...(inspect.input || !testImage ? {} : { label: testImage.label }),
      layers,
    },
    transfer,
  );
}

/** Builds a fresh network and trainer from the set-up (a reset). */
function rebuild(): void {
  trainer = undefined;
  network = undefined;
  try {
    const { config, params } = previewNetwork(setup.layers);
    manualSeed(setup.seed);
    network = createNetwork(config);
    if (train && test) {
      trainer = new Trainer(network, train, {
        ...trainerOptionsFor(setup),
        test,
        // The trainer's own watch over the losses it reads back: a divergence is shown, and the
        // run goes on (until a NaN stops it), so the user sees what it does.
        onDivergence: 'warn',
        callbacks: {
          onDiverged: ({ divergence: found }) =>
            post({
              type: 'divergence',
              kind: found.kind,
              step: found.step,
              message: found.message,
              startLoss: found.startLoss,
              recentLoss: found.recentLoss,
            }),
          onLog: ({ firstStep, losses, accuracies }) => {
            post({
              type: 'losses',
              firstStep,
              losses: Array.from(losses),
              accuracies: Array.from(accuracies),
              stepsPerEpoch: trainer!.batchesPerEpoch,
              imagesPerSecond: throughput.rate,
            });
          },
          onStepEnd: async ({ step }) => {
            if (step % QUICK_EVERY === 0) {
              // NaN outputs while diverging are shown as they are; the trainer stops on a NaN loss.
              postEvaluation(
                'quick',
                await evaluate(network!, test!, { limit: QUICK_TEST, onNonFinite: 'keep' }),
              );
            }
            if (step % INSIDE_EVERY === 0) postInside();
          },
          onEpochEnd: (_result, { test: testResult, train: trainResult }) => {
            if (testResult) postEvaluation('epoch', testResult, trainResult);
          },
        },
      });
    }
    post({ type: 'network', summary: formatLayers(setup.layers), params });
  } catch (error) {
    post({
      type: 'network',
      summary: formatLayers(setup.layers),
      params: 0,
      error: (error as Error).message,
    });
  }
  state = 'idle';
  postStatus();
  postInside();
}

/** A run's failure: a NaN or infinite loss or gradient is a divergence, the rest an error. */
function failed(error: unknown): void {
  state = 'stopped';
  if (error instanceof NonFiniteError) {
    post({
      type: 'divergence',
      kind: 'non-finite',
      step: error.step,
      message: error.where,
      startLoss: Number.NaN,
      recentLoss: Number.NaN,
    });
  } else {
    post({ type: 'error', message: (error as Error).message });
  }
}

/** One step, with its loss read back at once (the Step button shows it). */
async function singleStep(): Promise<void> {
  if (!trainer || trainer.done) return;
  throughput.reset(performance.now());
  await trainer.trainStep();
  await trainer.flush();
  postInside();
}

async function runLoop(): Promise<void> {
  if (loopRunning || !trainer) return;
  loopRunning = true;
  throughput.reset(performance.now());
  try {
    const running = trainer;
    while (state === 'running' && trainer === running && !running.done) {
      await running.trainStep();
      throughput.record(performance.now(), setup.batchSize);
      if (running.step % 5 === 0) postStatus();
      // A turn of the message queue: pause, stop and reset are seen between steps.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    // Paused, stopped or done: the chart gets every step taken so far (unless reset meanwhile).
    if (trainer === running) await running.flush();
    if (state === 'running' && trainer === running) state = 'done';
    if (trainer === running) postInside();
  } catch (error) {
    failed(error);
  } finally {
    loopRunning = false;
    postStatus();
  }
  // Started again (or anew) while this loop was winding down: run on.
  if (state === 'running' && trainer && !trainer.done) void runLoop();
}

/** The test set's evaluation when training is stopped by hand. */
async function finalEvaluation(): Promise<void> {
  if (!network || !test || !trainer) return;
  await trainer.flush();
  postEvaluation('epoch', await evaluate(network, test, { onNonFinite: 'keep' }));
}

async function init(base: string, threads: number): Promise<void> {
  post(await startBackend(threads));
  try {
    const data = await loadMnist(base, (loaded, total) =>
      post({ type: 'progress', loaded, total }),
    );
    train = mnistDataset(data.trainImages, data.trainLabels, { flatten: false });
    test = mnistDataset(data.testImages, data.testLabels, { flatten: false });
    testImage = {
      pixels: Float32Array.from(data.testImages.subarray(0, PIXELS), (v) => v / 255),
      label: data.testLabels[0]!,
    };
    const pixels = data.testImages.slice(0, SAMPLE_COUNT * PIXELS);
    post(
      { type: 'samples', pixels, labels: Array.from(data.testLabels.subarray(0, SAMPLE_COUNT)) },
      [pixels.buffer],
    );
  } catch (error) {
    post({ type: 'error', message: `loading MNIST failed: ${(error as Error).message}` });
    return;
  }
  rebuild();
}

/** Runs a command, turning a failure into an error message. */
async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    failed(error);
  }
  postStatus();
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      void init(message.base, message.threads);
      break;
    case 'setup':
      setup = message.setup;
      if (state !== 'loading') rebuild();
      break;
    case 'start':
      if (!trainer || state === 'loading' || state === 'running') break;
      // A stopped run goes on unless asked to start over; a finished one has no steps left.
      if (message.fresh || state === 'done' || trainer.done) rebuild();
      state = 'running';
      postStatus();
      void runLoop();
      break;
    case 'pause':
      if (state === 'running') state = 'paused';
      postStatus();
      break;
    case 'step':
      if (state === 'running' || state === 'loading' || !trainer) break;
      // A step after a stop goes on from the trained network; after the last epoch, anew.
      if (state === 'done' || trainer.done) rebuild();
      void guarded(async () => {
        await singleStep();
        if (state === 'idle' || state === 'stopped') state = 'paused';
      });
      break;
    case 'stop':
      if (state === 'running' || state === 'paused') {
        state = 'stopped';
        void guarded(async () => {
          await finalEvaluation();
          postInside();
        });
      } else {
        postStatus();
      }
      break;
    case 'reset':
      if (state !== 'loading') rebuild();
      break;
    case 'inspect':
      inspect = { watch: message.watch, input: message.input };
      if (state !== 'loading') postInside();
      break;
    case 'getModel': {
      if (!network) {
        post({ type: 'error', message: 'there is no network to save' });
        break;
      }
      const bytes = saveNetwork(network, { trainedSteps: String(trainer?.step ?? 0) });
      post({ type: 'model', id: message.id, bytes }, [bytes.buffer as ArrayBuffer]);
      break;
    }
  }
};
