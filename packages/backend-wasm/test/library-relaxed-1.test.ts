import { runLibraryTests } from './library-tests.js';

await runLibraryTests('relaxed', 1);
