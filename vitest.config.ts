import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packageDirs = readdirSync(`${root}packages`).filter((name) =>
  existsSync(`${root}packages/${name}/src/index.ts`),
);

/**
 * Tests run on the sources: every entry of a package's `exports` map (`@scratchnet/tensor`,
 * `@scratchnet/datasets/node`, …) resolves to the source file its `dist/*.js` is built from, so a
 * change in the tensor core is seen by the layers' tests without a rebuild.
 */
const sourceAliases = packageDirs.flatMap((name) => {
  const manifest = JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8')) as {
    exports: Record<string, string | { node?: string; import?: string; default?: string }>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    // Tests run in Node: a package's `node` entry where it has one (backend-wasm).
    const built =
      typeof target === 'string' ? target : (target.node ?? target.import ?? target.default);
    const source = built?.match(/^\.\/dist\/(.+)\.js$/)?.[1];
    if (!source) return [];
    const specifier = `@scratchnet/${name}${subpath.slice(1)}`;
    return [
      {
        find: new RegExp(`^${specifier}$`),
        replacement: `${root}packages/${name}/src/${source}.ts`,
      },
    ];
  });
});

const projectDirs = [
  ...packageDirs.map((name) => `packages/${name}`),
  ...readdirSync(`${root}apps`).map((name) => `apps/${name}`),
].filter((dir) => existsSync(`${root}${dir}/src`));

/**
 * The wasm backend's configurations under test (registered by its setup file), each a project of
 * its own that runs the tensor core's, the layers' and the optimizers' backend-independent tests:
 * the files named `*.backends.test.ts`, written with `describeEachBackend` from
 * `@scratchnet/tensor/testing` (scripts/backend-test-names.test.ts keeps the name and the content
 * together). Their own projects run them on the reference backend, `cpu`.
 */
const wasmConfigurations = ['wasm-simd-1', 'wasm-simd-2', 'wasm-relaxed-1', 'wasm-relaxed-2'];
const onEachBackend = ['tensor', 'layers', 'optimizers'].map(
  (name) => `packages/${name}/src/**/*.backends.test.ts`,
);

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      ...projectDirs.map((dir) => ({
        extends: true,
        test: {
          name: dir.split('/')[1],
          root: `${root}${dir}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['e2e/**', 'node_modules/**'],
        },
      })),
      ...wasmConfigurations.map((name) => ({
        extends: true,
        test: {
          name,
          root,
          include: onEachBackend,
          setupFiles: ['packages/backend-wasm/test/setup-test-backends.ts'],
          env: { SCRATCHNET_TEST_BACKENDS: name },
          // One module graph per worker, reused across files: each file would otherwise compile
          // the kernels and start the backend (and its workers) again.
          isolate: false,
          // A two-thread configuration runs alone, one file at a time, after the rest: its main
          // thread spins while it waits for the pool, which sharing the cores with other test
          // files makes several times slower (about 2 minutes instead of 40 s for its files).
          ...(name.endsWith('-2')
            ? { fileParallelism: false, sequence: { groupOrder: name.includes('relaxed') ? 2 : 1 } }
            : {}),
        },
      })),
      // Repository-wide checks: the READMEs' examples, run as they stand on the built packages,
      // and the names of the test files that run on every backend.
      { extends: true, test: { name: 'readme', root, include: ['scripts/*.test.ts'] } },
    ],
    testTimeout: 60_000,
  },
});
