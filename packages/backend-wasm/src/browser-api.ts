/**
 * The backend's entry functions for browsers and other non-Node engines: workers are Web Workers.
 */

import { browserPlatform } from './browser-platform.js';
import { type InitWasmBackendOptions, initWasmBackendOn } from './init.js';
import { createWasmBackendOn, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

/** Creates a wasm backend (not registered: see {@link initWasmBackend}). */
export function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  return createWasmBackendOn(browserPlatform, options);
}

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
export function initWasmBackend(options: InitWasmBackendOptions = {}): Promise<WasmBackend> {
  return initWasmBackendOn(browserPlatform, options);
}
