/**
 * What every family of the wasm backend's operations shares: the kernels, the heap, the worker
 * pool, each thread's scratch blocks, and the ways work is split between the threads. Made once
 * per backend by `createContext`; the families in `ops/` are functions of it.
 */
import type { WindowGeometry } from '@scratchnet/tensor';
import { writeGeometry } from './geometry.js';
import type { Heap, WasmData } from './heap.js';
import type { KernelExports } from './kernels.js';
import type { PoolKernel, WorkerPool } from './pool.js';

/** Bytes of each thread's scratch block: dims tables, odometers, a geometry struct, Adam's numbers. */
export const SCRATCH_BYTES = 4096;

/** Work below which a kernel stays on the calling thread (see `WasmBackendOptions.minParallelWork`). */
export interface ParallelThresholds {
  /** Multiply-adds of a matrix product or a convolution. */
  gemm: number;
  /** Work of a window kernel (im2col, col2im, pooling). */
  window: number;
  /** Elements of an elementwise op or an Adam step. */
  elementwise: number;
}

/** The shared state and helpers of one wasm backend. */
export interface WasmContext {
  /** The kernels (the calling thread's instance). */
  readonly k: KernelExports;
  /** Tensor storage in the wasm memory. */
  readonly heap: Heap;
  /** The workers, or null on one thread. */
  readonly pool: WorkerPool | null;
  /** Threads in all, the calling thread included. */
  readonly threads: number;
  /** Each thread's scratch block (thread 0 is the calling thread). */
  readonly scratches: readonly number[];
  /** Each thread's GEMM packing buffers. */
  readonly gemmScratch: readonly number[];
  /** When work is split between the threads. */
  readonly minParallel: ParallelThresholds;
  /** New storage of `length` floats. */
  alloc(length: number): WasmData;
  /** The address of a handle's resident block (valid during the current operation). */
  ptrOf(data: WasmData): number;
  /** Writes rows of int32 into a thread's scratch block and returns its address. */
  writeDims(dims: number[][], thread?: number): number;
  /**
   * Writes `g` as the window and convolution kernels' geometry struct into the calling thread's
   * scratch block and returns its address; the workers read the same struct. Written once per
   * call, before any share of the kernel is posted.
   */
  geometry(g: WindowGeometry): number;
  /**
   * Calls `kernel` with `args` on thread `t`: the calling thread runs it, a worker gets a job. The
   * arguments are typed by the kernel's signature in `KernelExports`.
   */
  runOn<K extends PoolKernel>(t: number, kernel: K, args: KernelArgs<K>): void;
  /** Runs `args(begin, end)` over [0, total) split in up to `threads` parts, in parallel. */
  parallelFor<K extends PoolKernel>(
    kernel: K,
    total: number,
    args: (begin: number, end: number) => KernelArgs<K>,
  ): void;
  /**
   * Blocks for a sum split among the threads: thread 0 writes into `first`, the others into
   * temporary blocks of `size` floats, which `addUp` adds into `first` and frees.
   */
  threadSums(first: number, size: number): { target(t: number): number; addUp(): void };
}

/** The arguments of kernel `K`, as its AssemblyScript signature declares them. */
export type KernelArgs<K extends PoolKernel> = Parameters<KernelExports[K]>;

/**
 * Merges neighbouring axes that every operand walks contiguously ([100, 30, 24, 24] with a
 * [30, 1, 1] bias becomes [100, 30, 576]), so the kernels' inner loops are long. Each row of
 * `dims` is [size, stride per operand…]; size-1 axes are dropped.
 */
export function coalesce(dims: number[][]): number[][] {
  const out: number[][] = [];
  for (const dim of dims) {
    if (dim[0] === 1) continue;
    const prev = out[out.length - 1];
    if (prev && dim.every((s, i) => i === 0 || prev[i] === s * dim[0]!)) {
      out[out.length - 1] = [prev[0]! * dim[0]!, ...dim.slice(1)];
    } else {
      out.push([...dim]);
    }
  }
  return out;
}

/** The context of a backend whose kernels, heap and pool are made (see `createWasmBackendOn`). */
export function createContext(
  k: KernelExports,
  heap: Heap,
  pool: WorkerPool | null,
  threads: number,
  scratches: readonly number[],
  gemmScratch: readonly number[],
  minParallel: ParallelThresholds,
): WasmContext {
  // The one place a kernel is called by name: the arguments were typed by the caller's K.
  const call = <K extends PoolKernel>(kernel: K, args: KernelArgs<K>) =>
    (k[kernel] as (...x: KernelArgs<K>) => void)(...args);
  const runOn = <K extends PoolKernel>(t: number, kernel: K, args: KernelArgs<K>) => {
    if (t === 0) call(kernel, args);
    else pool!.post(t - 1, kernel, args);
  };
  const alloc = (length: number) => heap.alloc(length);
  const ptrOf = (data: WasmData) => data.cell.ptr;
  return {
    k,
    heap,
    pool,
    threads,
    scratches,
    gemmScratch,
    minParallel,
    alloc,
    ptrOf,
    writeDims(dims, thread = 0) {
      const i32 = heap.i32;
      const block = scratches[thread]!;
      let at = block >> 2;
      for (const row of dims) for (const v of row) i32[at++] = v;
      return block;
    },
    geometry: (g) => writeGeometry(heap.i32, scratches[0]!, g),
    runOn,
    parallelFor(kernel, total, args) {
      const parts = pool && total > 1 ? Math.min(threads, total) : 1;
      if (parts === 1) {
        call(kernel, args(0, total));
        return;
      }
      const chunk = Math.ceil(total / parts);
      for (let t = 1; t < parts; t++) {
        const begin = t * chunk;
        const end = Math.min(total, begin + chunk);
        if (begin < end) pool!.post(t - 1, kernel, args(begin, end));
      }
      call(kernel, args(0, Math.min(total, chunk)));
      pool!.wait();
    },
    threadSums(first, size) {
      const partials: WasmData[] = [];
      return {
        target(t) {
          if (t === 0) return first;
          const partial = alloc(size);
          partials.push(partial);
          return ptrOf(partial);
        },
        addUp() {
          for (const partial of partials) {
            k.addInto(first, ptrOf(partial), size);
            heap.free(partial);
          }
        },
      };
    },
  };
}
