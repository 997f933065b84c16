import { registerBackend, setBackend } from '@scratchnet/tensor';
import type { Platform } from './platform.js';
import { createWasmBackendOn, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

/** Options of `initWasmBackend`: the backend's, and whether to make it the active one. */
export interface InitWasmBackendOptions extends WasmBackendOptions {
  /** Make it the active backend as well (default true). */
  activate?: boolean;
}

/** The instance `initWasmBackend` registered last, closed when it is replaced. */
let current: WasmBackend | null = null;

/** `initWasmBackend` on `platform` (each entry point passes its own). */
export async function initWasmBackendOn(
  platform: Platform,
  options: InitWasmBackendOptions = {},
): Promise<WasmBackend> {
  const backend = await createWasmBackendOn(platform, options);
  const previous = current;
  current = backend;
  registerBackend(backend);
  if (options.activate ?? true) setBackend(backend.name);
  await previous?.close();
  return backend;
}
