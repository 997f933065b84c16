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
      // The READMEs' examples, run as they stand on the built packages.
      { extends: true, test: { name: 'readme', root, include: ['scripts/*.test.ts'] } },
    ],
    testTimeout: 60_000,
  },
});
