/**
 * The README's example is documentation users copy: it runs here as it stands, in a child Node
 * process on the built packages (as an installed package would be), and what it prints is checked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const packages = fileURLToPath(new URL('../../', import.meta.url));
const needed = [
  'training',
  'layers',
  'datasets',
  'tensor',
  'optimizers',
  'serialization',
  'backend-wasm',
]
  .map((name) => `${packages}${name}/dist/index.js`)
  .filter((path) => !existsSync(path));

describe('README', () => {
  it(`runs its fit example and prints the book's epoch lines${needed.length > 0 ? ` (SKIPPED: ${needed.join(', ')} missing; run pnpm build)` : ''}`, (context) => {
    if (needed.length > 0) return context.skip();
    const readme = readFileSync(`${packageDir}README.md`, 'utf8');
    const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(example, 'a ```ts block in README.md').toBeDefined();
    // Inside the package (not under node_modules), so `@scratchnet/training` resolves to itself.
    const file = `${packageDir}.readme-example-${process.pid}.mts`;
    writeFileSync(file, example!);
    try {
      const printed = execFileSync('node', ['--import', 'tsx', file], {
        cwd: packageDir,
        encoding: 'utf8',
      });
      const epochs = [
        ...printed.matchAll(/^epoch:(\d), train acc:(0\.\d{4}), validation acc:(0\.\d{4})$/gm),
      ];
      expect(epochs.map((m) => m[1])).toEqual(['1', '2', '3']);
      const last = printed.match(/^best epoch ([123]), test accuracy: (\d+\.\d\d)%$/m);
      console.log(printed);
      expect(last, printed).not.toBeNull();
      // 9,000 images, three epochs: well past chance, short of the full run's 98.7%.
      expect(Number(last![2])).toBeGreaterThan(90);
      expect(Number(last![2])).toBeLessThan(99);
      const perClass = printed.trim().split('\n').at(-1)!.split(' ').map(Number);
      expect(perClass).toHaveLength(10);
      for (const accuracy of perClass) expect(accuracy).toBeGreaterThan(0.5);
    } finally {
      rmSync(file, { force: true });
    }
  }, 120_000);
});
