/**
 * `@scratchnet/datasets/testing`: the parsers' fuzzing helpers, shared with
 * `@scratchnet/serialization`'s tests. Needs fast-check (an optional peer dependency).
 *
 * @module @scratchnet/datasets/testing
 */
export type { FuzzReport } from './fuzz.js';
export { fuzz, fuzzRuns, mutated } from './fuzz.js';
