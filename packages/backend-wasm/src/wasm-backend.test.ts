import v8 from 'node:v8';
import vm from 'node:vm';
import { describeBackendSuite } from '@scratchnet/tensor/testing';
import { afterAll } from 'vitest';
import { bestVariant } from './kernels.js';
import { createWasmBackend } from './node-api.js';
import type { WasmBackend } from './wasm-backend.js';

// Node 20 gates relaxed SIMD behind a flag; set it so that both builds are tested.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
// A `gc` for the suite: its readAsync case then sees dropped storage freed and reused.
v8.setFlagsFromString('--expose-gc');
(globalThis as { gc?: () => void }).gc ??= vm.runInNewContext('gc') as () => void;

// Every build this engine can run, on one thread and on two (the second with every kernel split
// between the threads, however small, so the parallel paths meet the suite's awkward shapes).
const variants =
  bestVariant(true) === 'relaxed' ? (['simd', 'relaxed'] as const) : (['simd'] as const);
const backends: WasmBackend[] = [];
for (const variant of variants) {
  for (const threads of [1, 2]) {
    const backend = await createWasmBackend({
      threads,
      variant,
      minParallelWork: { gemm: 0, window: 0, elementwise: 0 },
    });
    backends.push(backend);
    describeBackendSuite(
      Object.assign(Object.create(backend) as WasmBackend, {
        name: `wasm ${variant} ${threads} thread${threads > 1 ? 's' : ''}`,
      }),
    );
  }
}
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});
