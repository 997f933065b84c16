/**
 * The READMEs' examples are documentation users copy: every ```ts block of the root README and of
 * each package's README runs here as it stands, as its own module, in a child Node process on the
 * built packages (as an installed package would be), and must exit cleanly. Blocks that are
 * configuration files (their first line names the file, as `// vite.config.ts`) are not run: the
 * consumer test (scripts/consumer) builds a real Vite app with that configuration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) =>
  existsSync(join(root, 'packages', name, 'README.md')),
);
const missing = packages
  .map((name) => join(root, 'packages', name, 'dist/index.js'))
  .filter((path) => !existsSync(path));
const skipReason =
  missing.length > 0 ? ` (SKIPPED: ${missing.join(', ')} missing; run pnpm build)` : '';

/** The top-level ```ts blocks of a Markdown file (indented ones belong to list items). */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

const isConfigFile = (block: string) => /^\/\/ [\w.-]+\.config\.[cm]?[jt]s\b/.test(block);

/** Each README and the package directory its examples run in (the root README's: training's). */
const readmes: { readme: string; dir: string }[] = [
  { readme: join(root, 'README.md'), dir: join(root, 'packages/training') },
  ...packages.map((name) => ({
    readme: join(root, 'packages', name, 'README.md'),
    dir: join(root, 'packages', name),
  })),
];

describe('README examples run as they stand', () => {
  for (const { readme, dir } of readmes) {
    const name = readme.slice(root.length);
    const blocks = typescriptBlocks(readFileSync(readme, 'utf8'));
    blocks.forEach((block, i) => {
      const title = `${name}, example ${i + 1} of ${blocks.length}`;
      if (isConfigFile(block)) {
        it.skip(
          `${title}: a configuration file (${block.split('\n')[0]}), built by the consumer test`,
        );
        return;
      }
      it(`${title}${skipReason}`, (context) => {
        if (missing.length > 0) return context.skip();
        // Inside the package (not under node_modules), so its own name and its dependencies resolve.
        const file = join(dir, `.readme-example-${process.pid}-${i}.mts`);
        writeFileSync(file, block);
        // Files an example writes (model.safetensors, …) go to a directory of its own, inside the
        // package so that `--import tsx` resolves from it.
        const cwd = mkdtempSync(join(dir, '.readme-run-'));
        try {
          execFileSync(
            process.execPath,
            ['--experimental-wasm-relaxed-simd', '--import', 'tsx', file],
            { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 240_000 },
          );
        } catch (error) {
          const { stdout, stderr } = error as { stdout?: string; stderr?: string };
          expect.fail(`${title} failed:\n${stderr ?? ''}\n${stdout ?? ''}`);
        } finally {
          rmSync(file, { force: true });
          rmSync(cwd, { recursive: true, force: true });
        }
      }, 300_000);
    });
  }

  it('finds the blocks: top level only, each whole', () => {
    const markdown =
      'a\n```ts\nconst x = 1;\n```\n- item\n\n  ```ts\n  nested\n  ```\n```ts\ny\n```\n';
    expect(typescriptBlocks(markdown)).toEqual(['const x = 1;\n', 'y\n']);
    expect(isConfigFile('// vite.config.ts\nimport x')).toBe(true);
    expect(isConfigFile("import { tensor } from '@scratchnet/tensor';")).toBe(false);
  });
});
