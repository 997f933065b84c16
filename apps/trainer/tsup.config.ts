import { defineConfig } from 'tsup';

// The CLI is one executable ESM file; the workspace packages stay external imports.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
});
