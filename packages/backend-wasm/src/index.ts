/**
 * The fast compute backend: WebAssembly SIMD kernels (GEMM, convolution, pooling, elementwise ops,
 * reductions, a fused Adam step) with a pool of threads over one shared memory. One call,
 * {@link initWasmBackend}, makes every new tensor and op run on it.
 *
 * This is the entry for browsers (the `default` export condition); Node gets `node.ts` (the
 * `node` condition), the same API with worker_threads, so a browser bundle never sees them.
 *
 * @module @scratchnet/backend-wasm
 */

export { createWasmBackend, initWasmBackend } from './browser-api.js';
export type { HeapOptions, HeapStats } from './heap.js';
export { WasmData } from './heap.js';
export type { InitWasmBackendOptions } from './init.js';
export type { KernelVariant } from './kernels.js';
export { bestVariant } from './kernels.js';
export type { WasmBackend, WasmBackendOptions } from './wasm-backend.js';
