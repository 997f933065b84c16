/**
 * The wasm backend's configurations under test (a vitest setup file, loaded by the root config's
 * `wasm-*` projects): the plain-SIMD and relaxed-SIMD builds, on one thread and on two. Each
 * project picks one with `SCRATCHNET_TEST_BACKENDS`, and runs the tensor core's, the layers' and
 * the optimizers' tests written with `describeEachBackend` on it.
 */
import v8 from 'node:v8';
import { registerTestBackend, releaseTestBackends } from '@scratchnet/tensor/testing';
import { afterAll } from 'vitest';
import type { KernelVariant } from '../src/kernels.js';
import { createWasmBackend } from '../src/node.js';

for (const variant of ['simd', 'relaxed'] as const satisfies readonly KernelVariant[]) {
  for (const threads of [1, 2]) {
    registerTestBackend(
      `wasm-${variant}-${threads}`,
      async () => {
        // Node 20 gates relaxed SIMD behind a flag, which must be on before the module compiles.
        if (variant === 'relaxed') v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
        const backend = await createWasmBackend({
          variant,
          threads,
          // Every kernel split between the threads, however small, so the tests' tiny calls
          // take the parallel paths too.
          minParallelWork: { gemm: 0, window: 0, elementwise: 0 },
        });
        if (backend.variant !== variant || backend.threads !== threads) {
          throw new Error(
            `wasm-${variant}-${threads}: made ${backend.variant} on ${backend.threads} threads`,
          );
        }
        return backend;
      },
      { dispose: (backend) => backend.close() },
    );
  }
}

afterAll(releaseTestBackends);
