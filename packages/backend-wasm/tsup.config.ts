import type { Options } from 'tsup';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entries with the same API: index (browsers, Web Workers) and node (worker_threads), chosen
// by the `node` export condition, so a browser bundle never imports node:worker_threads.
export default defineConfig({
  ...(packageBuild as Options),
  entry: ['src/index.ts', 'src/node.ts'],
});
