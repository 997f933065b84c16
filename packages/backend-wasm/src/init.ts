import { registerBackend, setBackend } from '@scratchnet/tensor';
import { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

export interface InitWasmBackendOptions extends WasmBackendOptions {
  /** Make it the active backend as well (default true). */
  activate?: boolean;
}

/**
 * Creates the wasm backend, registers it as "wasm" and (unless `activate: false`) makes it the
 * active one. Calling it again replaces the previous instance (whose workers are stopped).
 *
 * @example
 * await initWasmBackend({ threads: 2 });
 * // every new tensor and op now runs on the wasm kernels
 */
let current: WasmBackend | null = null;

export async function initWasmBackend(options: InitWasmBackendOptions = {}): Promise<WasmBackend> {
  const backend = await createWasmBackend(options);
  const previous = current;
  current = backend;
  registerBackend(backend);
  if (options.activate ?? true) setBackend(backend.name);
  await previous?.close();
  return backend;
}
