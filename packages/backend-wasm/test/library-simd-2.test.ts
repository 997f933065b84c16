import { runLibraryTests } from './library-tests.js';

await runLibraryTests('simd', 2);
