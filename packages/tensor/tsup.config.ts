import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.base';

/**
 * The shared recipe with a second entry: `@scratchnet/tensor/testing`, the backend test suite.
 * vitest stays external: packages that run the suite bring their own (an optional peer).
 */
export default defineConfig({
  ...(packageBuild as Options),
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['vitest'],
});
