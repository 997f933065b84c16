import type { Backend } from '@scratchnet/tensor';
import { createContext, SCRATCH_BYTES } from './context.js';
import { Heap, type HeapOptions, type HeapStats, type WasmData } from './heap.js';
import {
  bestVariant,
  instantiate,
  type KernelExports,
  type KernelVariant,
  kernelModule,
} from './kernels.js';
import { adamOps } from './ops/adam.js';
import { convOps } from './ops/conv.js';
import { elementwiseOps } from './ops/elementwise.js';
import { gemmOps } from './ops/gemm.js';
import { layoutOps } from './ops/layout.js';
import { reduceOps } from './ops/reduce.js';
import { windowOps } from './ops/window.js';
import type { Platform } from './platform.js';
import { CONTROL_SLOTS, WorkerPool } from './pool.js';

/** Options of `createWasmBackend` (and `initWasmBackend`). */
export interface WasmBackendOptions extends HeapOptions {
  /** Threads in all, the calling thread included (default 1). More than 1 needs SharedArrayBuffer. */
  threads?: number;
  /** 'simd' or 'relaxed'; by default relaxed SIMD where the engine supports it. */
  variant?: KernelVariant;
  /** How long idle workers spin before they sleep, in milliseconds (default 1). */
  spinMs?: number;
  /**
   * Work below which a kernel stays on the calling thread: multiply-adds for GEMM, elements for
   * the window kernels. The defaults suit training; tests set 0 to split even tiny calls.
   */
  minParallelWork?: {
    /** Multiply-adds of a matrix product. */
    gemm?: number;
    /** Output elements of a convolution or pooling kernel. */
    window?: number;
    /** Elements of an elementwise op. */
    elementwise?: number;
  };
}

/** The wasm backend: the `Backend` operations on WebAssembly SIMD kernels, and its own controls. */
export interface WasmBackend extends Backend<WasmData> {
  /** Threads in use, the calling thread included (1 where SharedArrayBuffer is unavailable). */
  readonly threads: number;
  /** The kernels in use: plain or relaxed SIMD. */
  readonly variant: KernelVariant;
  /** Memory in use, for tests and diagnostics. */
  stats(): HeapStats;
  /** Stops the workers; the backend must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Creates a wasm backend on `platform` (Node's worker_threads or the browser's Web Workers; the
 * package's entry points pass theirs). Not registered: see `initWasmBackend`.
 */
export async function createWasmBackendOn(
  platform: Platform,
  options: WasmBackendOptions = {},
): Promise<WasmBackend> {
  const requested = Math.max(1, Math.floor(options.threads ?? 1));
  const canShare = typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined';
  const threads = canShare ? requested : 1;
  const shared = threads > 1;
  const variant = options.variant ?? bestVariant(shared);
  platform.explain({ requestedThreads: requested, threads });
  const module = kernelModule(variant, shared);
  if (!module) throw new Error(`backend-wasm: this engine cannot run the ${variant} kernels`);
  const memory = new WebAssembly.Memory(
    shared ? { initial: 256, maximum: 65_536, shared: true } : { initial: 256, maximum: 65_536 },
  );
  const k: KernelExports = instantiate(module, memory);
  const heap = new Heap(memory, k.heapBase(), options);
  // One block per thread for the kernels' dims and odometers; the calling thread's also holds a
  // call's geometry struct (see `geometry`) and Adam's hyperparameters.
  const scratches = Array.from({ length: threads }, () => heap.reserve(SCRATCH_BYTES));
  const gemmScratch = Array.from({ length: threads }, () => heap.reserve(k.gemmScratchBytes()));
  const control = shared ? heap.reserve(threads * CONTROL_SLOTS * 4) : 0;
  const pool = shared
    ? await WorkerPool.start(
        module,
        memory,
        control,
        threads - 1,
        platform.startWorker,
        options.spinMs ?? 1,
      )
    : null;

  const ctx = createContext(k, heap, pool, threads, scratches, gemmScratch, {
    gemm: options.minParallelWork?.gemm ?? 1 << 17,
    window: options.minParallelWork?.window ?? 1 << 15,
    elementwise: options.minParallelWork?.elementwise ?? 1 << 16,
  });
  return {
    name: 'wasm',
    fusesConvRelu: true,
    threads,
    variant,
    stats: () => heap.stats(),
    close: async () => {
      await pool?.stop();
    },
    upload(values) {
      heap.begin('upload');
      return heap.upload(values);
    },
    dispose: (data) => heap.dispose(data),
    read: (data, size) => heap.read(data, size),
    // Copied now, not when the promise settles: by then the handle may have been collected and
    // its block reused by a later op.
    readAsync: (data, size) => Promise.resolve(heap.read(data, size)),
    ...elementwiseOps(ctx),
    ...reduceOps(ctx),
    ...gemmOps(ctx),
    ...layoutOps(ctx),
    ...windowOps(ctx),
    ...convOps(ctx),
    ...adamOps(ctx),
  };
}
