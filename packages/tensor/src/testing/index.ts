/**
 * `@scratchnet/tensor/testing`: test helpers for code that extends the tensor core. The backend
 * suite needs vitest (an optional peer dependency of this package).
 *
 * @module @scratchnet/tensor/testing
 */
export { describeBackendSuite } from './backend-suite.js';
