import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the production build served by `vite preview` (started by global-setup.ts)
 * and driven in headless Chromium with playwright-core. Run with `pnpm test:e2e` from the repository root: turbo builds first (from its cache when
 * nothing changed).
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
