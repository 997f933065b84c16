/**
 * The shared test suite every compute backend must pass. It calls the `Backend` methods directly
 * and compares each result with a straightforward reference written in `suite/` (naive loops in
 * float64), so it depends on almost nothing else in the library (the elementwise family also
 * compares every op of the vocabulary with the reference backend). One file per family of
 * methods, composed here.
 *
 * @example
 * // my-backend.test.ts
 * import { describeBackendSuite } from '@scratchnet/tensor/testing';
 * describeBackendSuite(myWasmBackend);
 */
import { describe } from 'vitest';
import type { Backend } from '../backend.js';
import { describeConv } from './suite/conv.js';
import { describeElementwise } from './suite/elementwise.js';
import { describeLayout } from './suite/layout.js';
import { describeMatmul } from './suite/matmul.js';
import { describeReduce } from './suite/reduce.js';
import { describeStorage } from './suite/storage.js';
import { describeWindow } from './suite/window.js';

/**
 * Registers the shared backend tests with vitest. Call it at the top level of a test file; it
 * runs every `Backend` method on small and awkward cases and compares with naive references.
 */
export function describeBackendSuite<D>(backend: Backend<D>): void {
  describe(`backend "${backend.name}"`, () => {
    describeStorage(backend);
    describeElementwise(backend);
    describeReduce(backend);
    describeMatmul(backend);
    describeLayout(backend);
    describeWindow(backend);
    describeConv(backend);
  });
}
