/**
 * Memory by design: the library frees every buffer it makes when the work that needs it ends, so
 * loops that never yield to the event loop (where no finalizer can run) keep the same blocks from
 * one step to the next, with no eviction. These tests count blocks and bytes, which is
 * deterministic: they hold on a loaded machine and never call the garbage collector.
 */
import { DeepConvNet, SimpleConvNet } from '@scratchnet/layers';
import { Adam, SGD } from '@scratchnet/optimizers';
import {
  manualSeed,
  memory,
  noGrad,
  randn,
  scope,
  setBackend,
  type Tensor,
  tensor,
} from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { initWasmBackend, type WasmBackend } from '../src/node.js';

const labelsOf = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ((i + offset) * 7) % 10);

/** The heap after each step of `steps`, and its evictions and finalizer frees over the loop. */
function watch(backend: WasmBackend, steps: number, step: (i: number) => void) {
  const blocks: number[] = [];
  const bytes: number[] = [];
  const before = backend.stats();
  const finalizedBefore = memory(backend).finalized;
  for (let i = 1; i <= steps; i++) {
    step(i);
    const stats = backend.stats();
    blocks.push(stats.liveBlocks);
    bytes.push(stats.memoryBytes);
  }
  const after = backend.stats();
  return {
    blocks,
    bytes,
    evictions: after.evictions - before.evictions,
    finalized: after.finalized - before.finalized + memory(backend).finalized - finalizedBefore,
  };
}

/**
 * The book's loop, as a user writes it (no await anywhere; the loss is the user's, freed by
 * `using`), `steps` times on a batch of 100 with Adam: the same live blocks after every step but
 * the first (which makes Adam's slots), memory at the end within 1.1× of that after `warmUp`
 * steps, no eviction and nothing for the finalizer.
 */
async function expectFlatTraining(
  name: string,
  build: () => SimpleConvNet | DeepConvNet,
  { threads, steps, warmUp }: { threads: number; steps: number; warmUp: number },
): Promise<void> {
  const backend = await initWasmBackend({ threads });
  try {
    manualSeed(0);
    const net = build();
    const optimizer = new Adam(net.parameters());
    const x = randn([100, 1, 28, 28]);
    const labels = labelsOf(100);
    const run = watch(backend, steps, () => {
      optimizer.zeroGrad();
      using loss = net.loss(x, labels);
      loss.backward();
      optimizer.step();
    });
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(
      `${name} ×${steps}: ${run.blocks[1]} live blocks after every step; memory ${mib(run.bytes[warmUp - 1]!)} MiB at step ${warmUp}, ${mib(run.bytes[steps - 1]!)} MiB at step ${steps}; ${run.evictions} evictions`,
    );
    expect(new Set(run.blocks.slice(1))).toEqual(new Set([run.blocks[1]]));
    expect(run.bytes[steps - 1]!).toBeLessThanOrEqual(run.bytes[warmUp - 1]! * 1.1);
    expect(run.evictions).toBe(0);
    expect(run.finalized).toBe(0);
  } finally {
    setBackend('cpu');
    await backend.close();
  }
}

/** Long loops: on a loaded machine they take minutes, and only their counts are checked. */
const LONG = { timeout: 15 * 60_000 };

describe('memory by design on the wasm backend', () => {
  afterAll(() => setBackend('cpu'));

  it(
    'a synchronous loop of 1,000 SimpleConvNet steps (batch 100) keeps the same blocks',
    LONG,
    () =>
      expectFlatTraining('SimpleConvNet', () => new SimpleConvNet(), {
        threads: 1,
        steps: 1000,
        warmUp: 200,
      }),
  );

  it(
    'the book loop with the loss dropped: only that one scalar waits for the safety net',
    LONG,
    async () => {
      const backend = await initWasmBackend({ threads: 1 });
      try {
        manualSeed(0);
        const net = new SimpleConvNet();
        const optimizer = new SGD(net.parameters(), { lr: 0.01 });
        const x = randn([100, 1, 28, 28]);
        const labels = labelsOf(100);
        // Exactly the book's `network.gradient(x, t); optimizer.update(…)` loop: the loss tensor is
        // dropped undisposed, so its one block waits for the finalizer (which cannot run in a
        // synchronous loop); everything the library made is freed every step.
        const run = watch(backend, 100, () => {
          optimizer.zeroGrad();
          net.loss(x, labels).backward();
          optimizer.step();
        });
        const growth = run.blocks.map((b, i) => b - run.blocks[0]! - i);
        expect(new Set(growth)).toEqual(new Set([0]));
        expect(run.evictions).toBe(0);
      } finally {
        setBackend('cpu');
        await backend.close();
      }
    },
  );

  it('a synchronous loop of 200 DeepConvNet steps (batch 100) keeps the same blocks', LONG, () =>
    // Training mode: dropout draws a new mask every step.
    expectFlatTraining('DeepConvNet', () => new DeepConvNet(), {
      threads: 2,
      steps: 200,
      warmUp: 20,
    }),
  );

  it(
    'no-grad inference over 10,000 images, batch by batch, keeps the same blocks',
    LONG,
    async () => {
      const backend = await initWasmBackend({ threads: 1 });
      try {
        manualSeed(1);
        const net = new SimpleConvNet().eval();
        const images = randn([10_000, 1, 28, 28]);
        let correct = 0;
        const labels = labelsOf(10_000);
        const run = watch(backend, 100, (i) => {
          noGrad(() => {
            using batch = images.narrow(0, (i - 1) * 100, 100);
            using logits = net.forward(batch);
            using predicted = logits.argmax(1);
            predicted.dataSync().forEach((c, j) => {
              if (c === labels[(i - 1) * 100 + j]) correct++;
            });
          });
        });
        expect(new Set(run.blocks)).toEqual(new Set([run.blocks[0]]));
        expect(run.evictions).toBe(0);
        expect(run.finalized).toBe(0);
        // The library's own loop over the same images: Network.accuracy, batch by batch.
        const blocks = backend.stats().liveBlocks;
        expect(net.accuracy(images, labels)).toBe(correct / 10_000);
        expect(backend.stats().liveBlocks).toBe(blocks);
      } finally {
        setBackend('cpu');
        await backend.close();
      }
    },
  );

  it('scope frees all but what it returns; a view keeps a shared buffer until both go', async () => {
    const backend = await initWasmBackend({ threads: 1 });
    try {
      const blocks = () => backend.stats().liveBlocks;
      const start = blocks();
      const kept = scope(() => {
        const a = tensor([1, 2, 3, 4]);
        const b = a.mul(2).add(1);
        return b.reshape([2, 2]); // shares b's buffer
      });
      expect(blocks() - start).toBe(1);
      expect(kept.toArray()).toEqual([
        [3, 5],
        [7, 9],
      ]);
      const flat: Tensor = kept.reshape([4]);
      kept.dispose();
      expect(blocks() - start).toBe(1); // the view still holds the buffer
      expect([...flat.dataSync()]).toEqual([3, 5, 7, 9]);
      flat.dispose();
      expect(blocks() - start).toBe(0);
      expect(() => flat.dataSync()).toThrow(/was disposed/);
    } finally {
      setBackend('cpu');
      await backend.close();
    }
  });
});
