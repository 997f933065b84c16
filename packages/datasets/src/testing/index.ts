export type { FuzzReport } from './fuzz.js';
export { fuzz, fuzzRuns, mutated } from './fuzz.js';
