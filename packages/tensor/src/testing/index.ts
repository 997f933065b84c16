/**
 * `@scratchnet/tensor/testing`: test helpers for code that extends the tensor core, built on
 * vitest (an optional peer dependency of this package).
 *
 * - {@link describeBackendSuite}: the shared suite every compute backend must pass.
 * - {@link registerTestBackend} and {@link describeEachBackend}: the backends under test, and
 *   blocks of tests that run once on each, with it the active backend.
 *
 * @module @scratchnet/tensor/testing
 */
export { describeBackendSuite } from './backend-suite.js';
export {
  type BackendUnderTest,
  backendsUnderTest,
  describeEachBackend,
  registeredTestBackends,
  registerTestBackend,
  releaseTestBackends,
  TEST_BACKENDS_ENV,
  type TestBackendOptions,
  testBackend,
} from './backends.js';
