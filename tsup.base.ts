import { defineConfig } from 'tsup';

/** The one build recipe every package shares: ESM only, with bundled `.d.ts`. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
});
