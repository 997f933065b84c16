import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { initWasmBackend } from '@scratchnet/backend-wasm';
import { setBackend } from '@scratchnet/tensor';

export const backendNames = ['wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

/** Both cores on this kind of machine; more threads than cores only wait on each other. */
export const defaultThreads = Math.min(2, availableParallelism());

/**
 * Makes `name` the compute backend for everything the command does next. The wasm backend
 * (SIMD kernels, `threads` workers over shared memory) is the fast one; `cpu` is the readable
 * plain-TypeScript reference, single-threaded.
 */
export async function useBackend(name: BackendName, threads: number): Promise<void> {
  if (name === 'cpu') {
    if (threads !== 1)
      throw new Error(`--threads ${threads}: the cpu backend runs on one thread; use --threads 1`);
    setBackend('cpu');
    return;
  }
  // Node 20 keeps relaxed SIMD (fused multiply-add) behind a flag; set it before compiling the
  // kernels, so the faster build is chosen. Newer engines ignore the flag.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  await initWasmBackend({ threads });
}
