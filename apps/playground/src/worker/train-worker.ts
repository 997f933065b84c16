/**
 * The training worker: it owns MNIST, the network being trained and its optimizer, so the page
 * never waits on a training step. It runs one step at a time and yields to its message queue
 * between steps, so pause, step, stop and reset take effect at once.
 */
import { initWasmBackend } from '@scratchnet/backend-wasm';
import type { Network } from '@scratchnet/layers';
import { createOptimizer, type Optimizer } from '@scratchnet/optimizers';
import {
  getBackend,
  manualSeed,
  noGrad,
  predictClasses,
  setBackend,
  softmaxCrossEntropy,
  tensor,
} from '@scratchnet/tensor';
import { loadMnist, type MnistData } from '../lib/mnist.js';
import { PlaygroundNet, saveNetwork } from '../lib/network.js';
import { DEFAULT_SETUP, formatLayers, type TrainSetup } from '../lib/setup.js';
import type { FromWorker, RunState, ToWorker } from './protocol.js';

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
const EVAL_BATCH = 500;

let data: MnistData | undefined;
let setup: TrainSetup = DEFAULT_SETUP;
let network: Network | undefined;
let optimizer: Optimizer | undefined;
let state: RunState = 'loading';
let step = 0;
let epoch = 0;
let position = 0;
let order: Uint32Array = new Uint32Array(0);
let loopRunning = false;
let windowStart = 0;
let windowImages = 0;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function trainCount(): number {
  return data ? data.trainLabels.length : 0;
}

function stepsPerEpoch(): number {
  return Math.ceil(trainCount() / setup.batchSize);
}

function postStatus(): void {
  post({ type: 'status', state, step, epoch, stepsPerEpoch: stepsPerEpoch() });
}

/** A seeded Fisher–Yates shuffle (mulberry32), so the same seed gives the same batches. */
function shuffled(n: number, seed: number): Uint32Array {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Builds a fresh network and optimizer from the set-up (a reset). */
function rebuild(): void {
  step = 0;
  epoch = 0;
  position = 0;
  try {
    manualSeed(setup.seed);
    const net = new PlaygroundNet(setup.layers);
    network = net;
    optimizer = createOptimizer(setup.optimizer, net.parameters(), {
      lr: setup.lr,
      weightDecay: setup.weightDecay,
    });
    post({ type: 'network', summary: formatLayers(setup.layers), params: net.parameterCount() });
  } catch (error) {
    network = undefined;
    optimizer = undefined;
    post({
      type: 'network',
      summary: formatLayers(setup.layers),
      params: 0,
      error: (error as Error).message,
    });
  }
  order = shuffled(trainCount(), setup.seed);
  state = 'idle';
  postStatus();
}

function batchOf(images: Uint8Array, indices: ArrayLike<number>) {
  const x = new Float32Array(indices.length * PIXELS);
  for (let b = 0; b < indices.length; b++) {
    const start = indices[b]! * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[b * PIXELS + p] = images[start + p]! / 255;
  }
  return tensor(x, [indices.length, 1, 28, 28]);
}

/** Mean loss, accuracy, confusion matrix and predictions on the first `count` images of a split. */
function evaluate(images: Uint8Array, labels: Uint8Array, count: number) {
  const net = network!;
  net.eval();
  const confusion = new Array<number>(100).fill(0);
  const predictions: number[] = [];
  let correct = 0;
  let lossSum = 0;
  noGrad(() => {
    for (let start = 0; start < count; start += EVAL_BATCH) {
      const size = Math.min(EVAL_BATCH, count - start);
      const indices = Array.from({ length: size }, (_, i) => start + i);
      const logits = net.forward(batchOf(images, indices));
      lossSum += softmaxCrossEntropy(logits, labels.subarray(start, start + size), 'sum').item();
      const predicted = predictClasses(logits);
      for (let i = 0; i < size; i++) {
        const label = labels[start + i]!;
        const guess = predicted[i]!;
        if (guess === label) correct++;
        confusion[label * 10 + guess]!++;
        predictions.push(guess);
      }
    }
  });
  net.train();
  return { loss: lossSum / count, accuracy: correct / count, confusion, predictions };
}

function postEval(kind: 'quick' | 'epoch'): void {
  if (!data || !network) return;
  const testCount = kind === 'quick' ? QUICK_TEST : data.testLabels.length;
  const test = evaluate(data.testImages, data.testLabels, testCount);
  const train = kind === 'epoch' ? evaluate(data.trainImages, data.trainLabels, 10_000) : undefined;
  post({
    type: 'eval',
    step,
    epoch: step / stepsPerEpoch(),
    kind,
    ...(train === undefined ? {} : { trainAccuracy: train.accuracy, trainLoss: train.loss }),
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    testCount,
    confusion: test.confusion,
    predictions: test.predictions.slice(0, SAMPLE_COUNT),
  });
}

/** One optimizer step on the next batch; false when the set-up's epochs are done. */
function trainStep(): boolean {
  if (!data || !network || !optimizer) return false;
  if (epoch >= setup.epochs) return false;
  const n = trainCount();
  const size = Math.min(setup.batchSize, n - position);
  const indices = order.subarray(position, position + size);
  const x = batchOf(data.trainImages, indices);
  const labels = Array.from(indices, (i) => data!.trainLabels[i]!);
  network.train();
  optimizer.zeroGrad();
  const logits = network.forward(x);
  const loss = network.lossFromLogits(logits, labels);
  loss.backward();
  optimizer.step();
  const predicted = predictClasses(logits.detach());
  let correct = 0;
  for (let i = 0; i < size; i++) if (predicted[i] === labels[i]) correct++;
  const lossValue = loss.item();
  step++;
  position += size;

  const now = performance.now();
  windowImages += size;
  const elapsed = now - windowStart;
  const imagesPerSecond = elapsed > 0 ? (windowImages * 1000) / elapsed : 0;
  if (elapsed > 2000) {
    windowStart = now;
    windowImages = 0;
  }
  post({
    type: 'batch',
    step,
    epoch: step / stepsPerEpoch(),
    loss: lossValue,
    accuracy: correct / size,
    imagesPerSecond,
  });
  if (!Number.isFinite(lossValue)) {
    post({ type: 'error', message: `the loss is ${lossValue}: lower the learning rate and reset` });
    state = 'stopped';
    return false;
  }
  if (position >= n) {
    epoch++;
    position = 0;
    order = shuffled(n, setup.seed + epoch);
    postEval('epoch');
  } else if (step % QUICK_EVERY === 0) {
    postEval('quick');
  }
  return epoch < setup.epochs;
}

const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function runLoop(): Promise<void> {
  if (loopRunning) return;
  loopRunning = true;
  windowStart = performance.now();
  windowImages = 0;
  try {
    while (state === 'running') {
      const more = trainStep();
      if (step % 5 === 0) postStatus();
      if (!more) {
        if (state === 'running') state = 'done';
        break;
      }
      await nextTick();
    }
  } catch (error) {
    state = 'stopped';
    post({ type: 'error', message: (error as Error).message });
  } finally {
    loopRunning = false;
    postStatus();
  }
}

async function init(base: string, threads: number): Promise<void> {
  let backendError: string | undefined;
  try {
    await initWasmBackend({ threads });
  } catch (error) {
    backendError = (error as Error).message;
    setBackend('cpu');
  }
  const backend = getBackend() as { name: string; threads?: number };
  post({
    type: 'ready',
    backend: backend.name,
    threads: backend.threads ?? 1,
    ...(backendError ? { backendError } : {}),
  });
  try {
    data = await loadMnist(base, (loaded, total) => post({ type: 'progress', loaded, total }));
  } catch (error) {
    post({ type: 'error', message: `loading MNIST failed: ${(error as Error).message}` });
    return;
  }
  const pixels = data.testImages.slice(0, SAMPLE_COUNT * PIXELS);
  post({ type: 'samples', pixels, labels: Array.from(data.testLabels.subarray(0, SAMPLE_COUNT)) }, [
    pixels.buffer,
  ]);
  rebuild();
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      void init(message.base, message.threads);
      break;
    case 'setup':
      setup = message.setup;
      if (state !== 'loading') {
        state = 'idle';
        rebuild();
      }
      break;
    case 'start':
      if (!network || state === 'loading' || state === 'running') break;
      if (state === 'stopped' || state === 'done') rebuild();
      state = 'running';
      postStatus();
      void runLoop();
      break;
    case 'pause':
      if (state === 'running') state = 'paused';
      postStatus();
      break;
    case 'step':
      if (state === 'running' || state === 'loading' || !network) break;
      if (state === 'stopped' || state === 'done') rebuild();
      try {
        windowStart = performance.now();
        windowImages = 0;
        trainStep();
        if (state === 'idle') state = 'paused';
      } catch (error) {
        post({ type: 'error', message: (error as Error).message });
      }
      postStatus();
      break;
    case 'stop':
      if (state === 'running' || state === 'paused') {
        state = 'stopped';
        postEval('epoch');
      }
      postStatus();
      break;
    case 'reset':
      if (state !== 'loading') {
        state = 'idle';
        rebuild();
      }
      break;
    case 'getModel': {
      if (!network) {
        post({ type: 'error', message: 'there is no network to save' });
        break;
      }
      const bytes = saveNetwork(network, { trainedSteps: String(step) });
      post({ type: 'model', id: message.id, bytes }, [bytes.buffer as ArrayBuffer]);
      break;
    }
  }
};
