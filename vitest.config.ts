import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packageDirs = readdirSync(`${root}packages`).filter((name) =>
  existsSync(`${root}packages/${name}/src/index.ts`),
);

/**
 * Tests run on the sources: `@scratchnet/x` resolves to `packages/x/src`, so a change in the
 * tensor core is seen by the layers' tests without a rebuild.
 */
const sourceAliases = Object.fromEntries(
  packageDirs.map((name) => [`@scratchnet/${name}`, `${root}packages/${name}/src/index.ts`]),
);

const projectDirs = [
  ...packageDirs.map((name) => `packages/${name}`),
  ...readdirSync(`${root}apps`).map((name) => `apps/${name}`),
].filter((dir) => existsSync(`${root}${dir}/src`));

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1],
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['e2e/**', 'node_modules/**'],
      },
    })),
    testTimeout: 60_000,
  },
});
