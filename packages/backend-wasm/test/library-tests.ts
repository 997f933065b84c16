/**
 * Runs the tensor core's op tests and the layer and optimizer packages' own test files with the
 * wasm backend active: each `library-*.test.ts` here makes one backend configuration the active
 * backend, then imports those test files, whose `describe` blocks register in that file.
 */
import v8 from 'node:v8';
import { getBackend, setBackend, tensor } from '@scratchnet/tensor';
import { afterAll, expect, it } from 'vitest';
import type { KernelVariant } from '../src/kernels.js';
import { initWasmBackend } from '../src/node.js';

declare global {
  interface ImportMeta {
    /** Vite's (and so vitest's) glob import. */
    glob(patterns: string[]): Record<string, () => Promise<unknown>>;
  }
}

const libraryTests = import.meta.glob([
  '../../tensor/src/ops/*.test.ts',
  '../../tensor/src/autograd.test.ts',
  '../../tensor/src/grad-rules.test.ts',
  '../../tensor/src/golden.test.ts',
  '../../layers/src/**/*.test.ts',
  '../../optimizers/src/**/*.test.ts',
]);

export async function runLibraryTests(variant: KernelVariant, threads: number): Promise<void> {
  // Node 20 gates relaxed SIMD behind a flag; turning it on here lets the suite cover that build.
  if (variant === 'relaxed') v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const backend = await initWasmBackend({
    variant,
    threads,
    minParallelWork: { gemm: 0, window: 0, elementwise: 0 },
  });
  afterAll(async () => {
    setBackend('cpu');
    await backend.close();
  });
  it(`runs on the wasm backend (${variant}, ${threads} thread${threads > 1 ? 's' : ''})`, () => {
    expect(getBackend()).toBe(backend);
    expect(tensor([1, 2]).backend).toBe(backend);
    expect(backend.variant).toBe(variant);
    expect(backend.threads).toBe(threads);
  });
  for (const load of Object.values(libraryTests)) await load();
}
