import { registerBackend, setBackend } from '@scratchnet/tensor';
import { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

/** Options of `initWasmBackend`: the backend's, and whether to make it the active one. */
export interface InitWasmBackendOptions extends WasmBackendOptions {
  /** Make it the active backend as well (default true). */
  activate?: boolean;
}

/** The instance `initWasmBackend` registered last, closed when it is replaced. */
let current: WasmBackend | null = null;

/**
 * Creates the wasm backend, registers it as "wasm" and (unless `activate: false`) makes it the
 * active one. Calling it again replaces the previous instance (whose workers are stopped).
 *
 * @example
 * import { initWasmBackend } from '@scratchnet/backend-wasm';
 * import { tensor } from '@scratchnet/tensor';
 *
 * const backend = await initWasmBackend({ threads: 2 });
 * tensor([[1, 2], [3, 4]]).matmul(tensor([[5], [6]])).toArray(); // [[17], [39]], on wasm kernels
 * backend.stats().liveBlocks; // its memory in use
 */
export async function initWasmBackend(options: InitWasmBackendOptions = {}): Promise<WasmBackend> {
  const backend = await createWasmBackend(options);
  const previous = current;
  current = backend;
  registerBackend(backend);
  if (options.activate ?? true) setBackend(backend.name);
  await previous?.close();
  return backend;
}
