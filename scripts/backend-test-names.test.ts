import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The wasm projects of vitest.config.ts run the files named `*.backends.test.ts` on every backend
 * configuration. A suite written with `describeEachBackend` in a file without that name would run
 * on the cpu backend only, silently; a file with the name but no such suite would run for nothing.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const testFiles = ['tensor', 'layers', 'optimizers', 'datasets', 'serialization', 'training']
  .flatMap((name) =>
    readdirSync(`${root}packages/${name}/src`, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `packages/${name}/src/${file}`),
  )
  .sort();

describe('test files that run on every backend', () => {
  it('are exactly the files named *.backends.test.ts, in tensor, layers and optimizers', () => {
    const usesEachBackend = testFiles.filter((file) =>
      readFileSync(`${root}${file}`, 'utf8').includes('describeEachBackend('),
    );
    const named = testFiles.filter((file) => file.endsWith('.backends.test.ts'));
    expect(usesEachBackend).toEqual(named);
    expect(named.length).toBeGreaterThan(30);
    for (const file of named) {
      expect(file).toMatch(/^packages\/(tensor|layers|optimizers)\//);
    }
  });
});
