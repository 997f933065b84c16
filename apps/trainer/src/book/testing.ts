/**
 * What the book-script tests share: run a script in --quick mode in-process, read the numbers
 * it printed, check the figures it wrote.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { createBookContext } from './context.js';
import { findScript } from './registry.js';

const outRoot = mkdtempSync(join(tmpdir(), 'scratchnet-book-'));

/** Runs a script in --quick mode (with `--weights` if given): its printed lines and the files it wrote. */
export async function runScript(
  id: string,
  { weights }: { weights?: string } = {},
): Promise<{ lines: string[]; files: string[] }> {
  const script = findScript(id);
  const lines: string[] = [];
  const ctx = createBookContext({
    quick: true,
    weights,
    outDir: join(outRoot, `${script.chapter}-${script.name}`),
    print: (line) => lines.push(line),
  });
  await script.run(ctx);
  // Every figure a script writes is declared, with its figure number, for docs/book-figures.md.
  const declared = Object.keys(script.figures ?? {});
  const undeclared = ctx.files.map((f) => basename(f)).filter((f) => !declared.includes(f));
  expect(undeclared, `${id} writes figures its registry entry does not declare`).toEqual([]);
  return { lines, files: ctx.files };
}

/** The numbers in a printed line, e.g. "[-6.1e-10  8.1e-10]" → [-6.1e-10, 8.1e-10]. */
export const numbersIn = (line: string) =>
  (line.match(/-?\d+(\.\d*)?(e[-+]\d+)?/g) ?? []).map(Number);

/** Width and height of a PNG that decodes whole (signature, chunks and CRCs), as the other picture tests read them. */
export function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 8)], path).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const { width, height } = PNG.sync.read(bytes);
  return { width, height };
}

/** The script wrote exactly these figures, in this order, each a valid PNG of a sensible size. */
export function expectFigures(files: string[], names: string[]) {
  expect(files.map((f) => f.split('/').at(-1))).toEqual(names);
  for (const file of files) {
    const { width, height } = pngSize(file);
    expect(width, file).toBeGreaterThanOrEqual(200);
    expect(height, file).toBeGreaterThanOrEqual(200);
    expect(width * height, file).toBeLessThan(4000 * 4000);
  }
}

/** The names of a chapter's scripts: each chapter's test file checks it tests them all. */
export const scriptNames = (chapter: { scripts: readonly { name: string }[] }) =>
  chapter.scripts.map((s) => s.name);
