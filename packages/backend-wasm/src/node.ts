/**
 * The Node entry (the `node` export condition): the same API as the browser entry, `index.ts`,
 * with its pool workers on worker_threads.
 *
 * The fast compute backend: WebAssembly SIMD kernels (GEMM, convolution, pooling, elementwise ops,
 * reductions, a fused Adam step) with a pool of threads over one shared memory. One call,
 * {@link initWasmBackend}, makes every new tensor and op run on it.
 *
 * @module @scratchnet/backend-wasm (Node)
 */
export type { HeapOptions, HeapStats } from './heap.js';
export { WasmData } from './heap.js';
export type { InitWasmBackendOptions } from './init.js';
export type { KernelVariant } from './kernels.js';
export { bestVariant } from './kernels.js';
export { createWasmBackend, initWasmBackend } from './node-api.js';
export type { WasmBackend, WasmBackendOptions } from './wasm-backend.js';
