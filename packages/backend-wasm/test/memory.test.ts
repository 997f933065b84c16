/**
 * The safety nets, for tensors a user drops without disposing, in loops that never yield to the
 * event loop: finalizers cannot run there, so the heap's resident budget (eviction to JavaScript
 * arrays, compaction) must keep the memory bounded on its own, and give the same numbers as the
 * reference backend. (The library's own loops need none of this: memory-by-design.test.ts.)
 */
import { SimpleConvNet } from '@scratchnet/layers';
import { full, manualSeed, noGrad, randn, setBackend, type Tensor } from '@scratchnet/tensor';
import { describeBackendSuite } from '@scratchnet/tensor/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend, initWasmBackend, type WasmBackend } from '../src/node.js';

const MiB = 2 ** 20;

/** Forward pass of a fresh SimpleConvNet (seeded by `i`) on a fresh batch of 100. */
function freshForward(i: number): Tensor {
  manualSeed(i);
  return noGrad(() => new SimpleConvNet().forward(randn([100, 1, 28, 28])));
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('synchronous loops run in bounded memory', () => {
  afterAll(() => setBackend('cpu'));

  it('100 × new SimpleConvNet().forward(batch of 100), never yielding, 2 threads', async () => {
    const backend = await initWasmBackend({ threads: 2, residentBytes: 256 * MiB });
    const kept = new Map<number, Tensor>();
    let peak = 0;
    try {
      for (let i = 0; i < 100; i++) {
        const out = freshForward(i);
        if (i % 33 === 0) kept.set(i, out);
        peak = Math.max(peak, backend.stats().memoryBytes);
      }
      const stats = backend.stats();
      console.log(
        `sync loop: memory ${(peak / MiB).toFixed(0)} MiB, ${stats.evictions} evictions ` +
          `(${(stats.evictedBytes / MiB).toFixed(0)} MiB copied out), ${stats.compactions} compactions`,
      );
      // The resident budget plus the default slack before compaction (256 MiB).
      expect(peak).toBeLessThan(512 * MiB);
      // Kept outputs were evicted long ago; they read back from their JavaScript copies.
      const wasm = [...kept.entries()].map(([i, t]) => [i, t.dataSync()] as const);
      setBackend('cpu');
      for (const [i, values] of wasm) {
        expect(maxDifference(values, freshForward(i).dataSync())).toBeLessThan(1e-4);
      }
    } finally {
      setBackend('cpu');
      await backend.close();
    }
  });

  it('with the default budget (1 GiB), dropped tensors of 2.5 GiB in all stop at 1.25 GiB', async () => {
    const backend = await initWasmBackend({ threads: 1 });
    try {
      let peak = 0;
      // 40 tensors of 64 MiB each, dropped undisposed: the finalizer cannot run in this loop, so
      // the resident budget moves the least recently used out to JavaScript arrays.
      for (let i = 0; i < 40; i++) {
        full([16 * 2 ** 20], i);
        peak = Math.max(peak, backend.stats().memoryBytes);
      }
      expect(backend.stats().evictions).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(1280 * MiB);
    } finally {
      setBackend('cpu');
      await backend.close();
    }
  });

  it('Network.accuracy over 10,000 images (a synchronous library loop)', async () => {
    const backend = await initWasmBackend({ threads: 2, residentBytes: 64 * MiB });
    try {
      manualSeed(1);
      const net = new SimpleConvNet();
      const x = randn([10_000, 1, 28, 28]);
      const labels = Array.from({ length: 10_000 }, (_, i) => i % 10);
      const accuracy = net.accuracy(x, labels);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(backend.stats().memoryBytes).toBeLessThanOrEqual((64 + 256) * MiB);
    } finally {
      setBackend('cpu');
      await backend.close();
    }
  });

  it('out of memory is a clear error, not an obscure RangeError', async () => {
    const backend = await createWasmBackend({ threads: 1 });
    try {
      expect(() => backend.fill(1_200_000_000, 1)).toThrow(
        /backend-wasm: out of memory: fill needs a block of 4608\.0 MiB, but more than a 32-bit memory holds; .* live in \d+ blocks/,
      );
      // The backend still works afterwards.
      expect([...backend.read(backend.fill(3, 2), 3)]).toEqual([2, 2, 2]);
    } finally {
      await backend.close();
    }
  });
});

// The shared op suite with a 64 KiB resident budget and a memory limit below the scratch space:
// nearly every allocation evicts, and every new block compacts the heap first.
const tiny: WasmBackend[] = [];
for (const threads of [1, 2]) {
  const backend = await createWasmBackend({
    threads,
    variant: 'simd',
    residentBytes: 64 * 1024,
    memoryLimit: 1,
    minParallelWork: { gemm: 0, window: 0, elementwise: 0 },
  });
  tiny.push(backend);
  describeBackendSuite(
    Object.assign(Object.create(backend) as WasmBackend, {
      name: `wasm, 64 KiB resident budget, ${threads} thread${threads > 1 ? 's' : ''}`,
    }),
  );
}
afterAll(async () => {
  await Promise.all(tiny.map((b) => b.close()));
});
