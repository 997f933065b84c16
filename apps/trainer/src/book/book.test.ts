/**
 * The book's chapter scripts (`scratchnet book`), each run in --quick mode in-process through the
 * registry, with the numbers checked where the book gives exact ones and every figure checked to
 * be a PNG of a sensible size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createBookContext, ndarrayToString, pyFloat } from './context.js';
import { BOOK_SCRIPTS, findScript, scriptId } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const builtCli = resolve(here, '../../dist/cli.js');
const outRoot = mkdtempSync(join(tmpdir(), 'scratchnet-book-'));

/** Runs a script in --quick mode: its printed lines and the files it wrote. */
async function runScript(id: string): Promise<{ lines: string[]; files: string[] }> {
  const script = findScript(id);
  const lines: string[] = [];
  const ctx = createBookContext({
    quick: true,
    outDir: join(outRoot, `${script.chapter}-${script.name}`),
    print: (line) => lines.push(line),
  });
  await script.run(ctx);
  return { lines, files: ctx.files };
}

/** The numbers in a printed line, e.g. "[-6.1e-10  8.1e-10]" → [-6.1e-10, 8.1e-10]. */
const numbersIn = (line: string) => (line.match(/-?\d+(\.\d*)?(e[-+]\d+)?/g) ?? []).map(Number);

/** Width and height of a PNG that decodes whole (signature, chunks and CRCs), as the other picture tests read them. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 8)], path).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const { width, height } = PNG.sync.read(bytes);
  return { width, height };
}

function expectFigures(files: string[], names: string[]) {
  expect(files.map((f) => f.split('/').at(-1))).toEqual(names);
  for (const file of files) {
    const { width, height } = pngSize(file);
    expect(width, file).toBeGreaterThanOrEqual(200);
    expect(height, file).toBeGreaterThanOrEqual(200);
    expect(width * height, file).toBeLessThan(4000 * 4000);
  }
}

describe('scratchnet book: the registry', () => {
  it('names every script by chapter/name, unique, and finds the book’s file names too', () => {
    const ids = BOOK_SCRIPTS.map(scriptId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ch\d\d\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(scriptId(findScript('ch02/and_gate.py'))).toBe('ch02/and-gate');
    expect(scriptId(findScript('ch05/buy_apple_orange'))).toBe('ch05/buy-apple-orange');
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

describe('scratchnet book: ch02 perceptrons', () => {
  const tables: Record<string, number[]> = {
    'ch02/and-gate': [0, 0, 0, 1],
    'ch02/nand-gate': [1, 1, 1, 0],
    'ch02/or-gate': [0, 1, 1, 1],
    'ch02/xor-gate': [0, 1, 1, 0],
  };
  for (const [id, ys] of Object.entries(tables)) {
    it(`${id} prints the book’s truth table`, async () => {
      const { lines, files } = await runScript(id);
      const inputs = ['(0, 0)', '(1, 0)', '(0, 1)', '(1, 1)'];
      expect(lines).toEqual(inputs.map((xs, i) => `${xs} -> ${ys[i]}`));
      expect(files).toEqual([]);
    });
  }
});

describe('scratchnet book: ch04 numerical gradients', () => {
  it('gradient-1d prints the book’s slopes at 5 and 10 and draws f with its tangent', async () => {
    const { lines, files } = await runScript('ch04/gradient-1d');
    expect(lines).toEqual(['0.1999999999990898', '0.2999999999986347']);
    expectFigures(files, ['gradient_1d.png']);
  });

  it('gradient-2d prints ∇(x0² + x1²) at (3, 4), (0, 2), (3, 0) and draws the arrows', async () => {
    const { lines, files } = await runScript('ch04/gradient-2d');
    const expected = [
      [6, 8],
      [0, 4],
      [6, 0],
    ];
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.entries()) {
      const got = numbersIn(line);
      expect(got).toHaveLength(2);
      for (const [k, v] of got.entries()) {
        expect(Math.abs(v - expected[i]![k]!), line).toBeLessThan(1e-4);
      }
    }
    expectFigures(files, ['gradient_2d.png']);
  });

  it('gradient-method ends within 1e-9 of the minimum (0, 0) and draws the path', async () => {
    const { lines, files } = await runScript('ch04/gradient-method');
    expect(lines).toEqual(['[-6.11110793e-10  8.14814391e-10]']);
    const [x0, x1] = numbersIn(lines[0]!);
    expect(Math.abs(x0!)).toBeLessThan(1e-9);
    expect(Math.abs(x1!)).toBeLessThan(1e-9);
    expectFigures(files, ['gradient_method.png']);
  });

  it('gradient-simplenet prints the book’s W, p, argmax, loss and dW', async () => {
    const { lines } = await runScript('ch04/gradient-simplenet');
    const text = lines.join('\n');
    expect(lines[0]).toBe('[[0.47355232 0.9977393  0.84668094]');
    expect(lines[3]).toBe('2');
    const p = numbersIn(lines[2]!);
    const loss = Number(lines[4]);
    const dW = numbersIn(lines.slice(5).join(' '));
    for (const [i, v] of [1.05414809, 0.63071653, 1.1328074].entries()) {
      expect(p[i]).toBeCloseTo(v, 7);
    }
    // The book's W is printed to 8 digits, so its loss and dW agree to about 1e-6.
    expect(loss).toBeCloseTo(0.92806853663411326, 6);
    const bookDW = [0.21924763, 0.14356247, -0.36281009, 0.32887144, 0.2153437, -0.54421514];
    expect(dW).toHaveLength(6);
    for (const [i, v] of bookDW.entries()) {
      expect(Math.abs(dW[i]! - v), text).toBeLessThan(1e-6);
    }
  });
});

describe('scratchnet book: ch05 backpropagation', () => {
  it('buy-apple prints the book’s price and gradients', async () => {
    const { lines } = await runScript('ch05/buy-apple');
    expect(lines).toEqual(['price: 220', 'dApple: 2.2', 'dApple_num: 110', 'dTax: 200']);
  });

  it('buy-apple-orange prints the book’s price and gradients (dOrange as Python prints it)', async () => {
    const { lines } = await runScript('ch05/buy-apple-orange');
    expect(lines).toEqual([
      'price: 715',
      'dApple: 2.2',
      'dApple_num: 110',
      'dOrange: 3.3000000000000003',
      'dOrange_num: 165',
      'dTax: 650',
    ]);
    expect(Number(lines[3]!.split(' ')[1])).toBeCloseTo(3.3, 12);
  });

  it('gradient-check: each mean difference is below the float32 bound it states', async () => {
    const { lines } = await runScript('ch05/gradient-check');
    const keys = lines.slice(0, 4).map((line) => line.split(':')[0]);
    expect(keys).toEqual(['W1', 'b1', 'W2', 'b2']);
    const bound = Number(lines[4]!.match(/below (\S+?)\./)?.[1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(2e-5);
    for (const line of lines.slice(0, 4)) {
      const diff = Number(line.split(':')[1]);
      expect(diff, line).toBeGreaterThan(0);
      expect(diff, line).toBeLessThan(bound);
    }
  }, 120_000);
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

it('covers every registered script in this file', () => {
  const covered = [
    'ch02/and-gate',
    'ch02/nand-gate',
    'ch02/or-gate',
    'ch02/xor-gate',
    'ch04/gradient-1d',
    'ch04/gradient-2d',
    'ch04/gradient-method',
    'ch04/gradient-simplenet',
    'ch05/buy-apple',
    'ch05/buy-apple-orange',
    'ch05/gradient-check',
  ];
  expect(BOOK_SCRIPTS.map(scriptId).sort()).toEqual(covered.sort());
});
