/**
 * `scratchnet book`: the registry, Python's and NumPy's print, `--list`. Each chapter's scripts
 * are tested beside them, in `chNN/chNN.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ndarrayToString, pyFloat } from './context.js';
import { BOOK_CHAPTERS, BOOK_SCRIPTS, findScript, formatScriptList, scriptId } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const builtCli = resolve(here, '../../dist/cli.js');

describe('scratchnet book: the registry', () => {
  it('names every script by chapter/name, unique, and finds the book’s file names too', () => {
    const ids = BOOK_SCRIPTS.map(scriptId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ch\d\d\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(scriptId(findScript('ch02/and_gate.py'))).toBe('ch02/and-gate');
    expect(scriptId(findScript('ch05/buy_apple_orange'))).toBe('ch05/buy-apple-orange');
  });

  it('gives each script the section its own header names, beside the book’s file name', () => {
    for (const script of BOOK_SCRIPTS) {
      const source = readFileSync(resolve(here, script.chapter, `${script.name}.ts`), 'utf8');
      // The file's first comment, as one line of text.
      const header = (source.match(/^\/\*\*([\s\S]*?)\*\//)?.[1] ?? '').replace(/\s*\*\s+/g, ' ');
      const id = scriptId(script);
      expect(header, id).toContain(`\`${script.chapter}/${script.name.replace(/-/g, '_')}.py\``);
      // The registry's section, or its subsections ('5.4' for 'sections 5.4.1–5.4.2'), and not
      // another ('2.3.2' where the registry says '2.3.3').
      const sections = [
        ...header.matchAll(/\bsections? (\d+(?:\.\d+)+)(?:(?:–| and )(\d+(?:\.\d+)+))?/g),
      ]
        .flatMap((m) => [m[1], m[2]])
        .filter((n): n is string => n !== undefined);
      const own = sections.filter(
        (n) => n === script.section || n.startsWith(`${script.section}.`),
      );
      expect(own, `${id}: the header names sections ${sections.join(', ')}`).not.toEqual([]);
    }
  });

  it('answers an unknown name with the close matches and --list', () => {
    expect(() => findScript('ch02/and-gat')).toThrow(/did you mean ch02\/and-gate.*--list/);
    expect(() => findScript('ch09/nothing-like-it')).toThrow(/no book script.*--list/);
  });
});

describe('scratchnet book: Python’s and NumPy’s print', () => {
  it('formats floats as Python’s repr', () => {
    expect(pyFloat(0.1999999999990898)).toBe('0.1999999999990898');
    expect(pyFloat(220)).toBe('220.0');
    expect(pyFloat(2.5e-6)).toBe('2.5e-06');
    expect(pyFloat(1e-4)).toBe('0.0001');
    expect(pyFloat(1e16)).toBe('1e+16');
  });

  it('formats arrays as NumPy’s print', () => {
    expect(ndarrayToString([6.00000000000378, 7.999999999999119])).toBe('[6. 8.]');
    expect(ndarrayToString([-6.111107929681e-10, 8.14814390624e-10])).toBe(
      '[-6.11110793e-10  8.14814391e-10]',
    );
    expect(ndarrayToString([1.05414809, 0.63071653, 1.1328074])).toBe(
      '[1.05414809 0.63071653 1.1328074 ]',
    );
    expect(
      ndarrayToString([
        [0.21924763, 0.14356247, -0.36281009],
        [0.32887144, 0.2153437, -0.54421514],
      ]),
    ).toBe('[[ 0.21924763  0.14356247 -0.36281009]\n [ 0.32887144  0.2153437  -0.54421514]]');
  });
});

describe('scratchnet book --list (the built CLI)', () => {
  it.skipIf(!existsSync(builtCli))(
    `lists every registered script${existsSync(builtCli) ? '' : ` (skipped: ${builtCli} is missing; run pnpm --filter @scratchnet/trainer build)`}`,
    () => {
      const result = spawnSync(process.execPath, [builtCli, 'book', '--list'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      for (const script of BOOK_SCRIPTS) {
        const line = lines.find((l) => l.trim().startsWith(`${scriptId(script)} `));
        expect(line, scriptId(script)).toBeDefined();
        expect(line).toContain(script.section);
        expect(line).toContain(script.title);
      }
    },
  );
});

describe('the commands README.ko.md and README.ja.md give (the built CLI)', () => {
  for (const lang of ['ko', 'ja'] as const) {
    it.skipIf(!existsSync(builtCli))(
      `pnpm scratchnet book --list --lang ${lang} lists every script with its section title${existsSync(builtCli) ? '' : ' (skipped: the CLI is not built)'}`,
      () => {
        const readme = readFileSync(resolve(here, `../../../../README.${lang}.md`), 'utf8');
        expect(readme).toContain(`pnpm scratchnet book --list --lang ${lang}`);
        const result = spawnSync(process.execPath, [builtCli, 'book', '--list', '--lang', lang], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout.split('\n')).toEqual([...formatScriptList(undefined, lang), '']);
        expect(result.stdout).toContain(lang === 'ko' ? '오차역전파법' : '誤差逆伝播法');
      },
    );
  }
});

it('takes each chapter from its own folder, in the book’s order', () => {
  expect(BOOK_CHAPTERS.map((c) => c.chapter)).toEqual(
    [...BOOK_CHAPTERS.map((c) => c.chapter)].sort(),
  );
});
