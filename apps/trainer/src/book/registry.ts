/**
 * The book's chapter scripts (oreilly-japan/deep-learning-from-scratch), one TypeScript file
 * each in `ch02/`, `ch04/`, …, to be read beside the book. `scratchnet book --list` shows this
 * table; `scratchnet book ch04/gradient-method` runs one.
 */
import * as andGate from './ch02/and-gate.js';
import * as nandGate from './ch02/nand-gate.js';
import * as orGate from './ch02/or-gate.js';
import * as xorGate from './ch02/xor-gate.js';
import * as gradient1d from './ch04/gradient-1d.js';
import * as gradient2d from './ch04/gradient-2d.js';
import * as gradientMethod from './ch04/gradient-method.js';
import * as gradientSimplenet from './ch04/gradient-simplenet.js';
import * as buyApple from './ch05/buy-apple.js';
import * as buyAppleOrange from './ch05/buy-apple-orange.js';
import * as gradientCheck from './ch05/gradient-check.js';
import type { BookContext } from './context.js';

export interface BookScript {
  /** The book repository's folder: 'ch02'. */
  chapter: string;
  /** The script's file name with `_` turned into `-`, without `.py`: 'and-gate'. */
  name: string;
  /** The section of the book the script belongs to: '2.3.2'. */
  section: string;
  /** What it shows, in a few words. */
  title: string;
  run(ctx: BookContext): void | Promise<void>;
}

export const CHAPTER_TITLES: Record<string, string> = {
  ch02: 'Perceptrons',
  ch04: 'Neural network training',
  ch05: 'Backpropagation',
};

export const BOOK_SCRIPTS: readonly BookScript[] = [
  {
    chapter: 'ch02',
    name: 'and-gate',
    section: '2.3.2',
    title: 'the AND gate as a perceptron (weights and bias): its truth table',
    run: andGate.run,
  },
  {
    chapter: 'ch02',
    name: 'nand-gate',
    section: '2.3.3',
    title: 'the NAND gate: the same perceptron, other weights',
    run: nandGate.run,
  },
  {
    chapter: 'ch02',
    name: 'or-gate',
    section: '2.3.3',
    title: 'the OR gate: the same perceptron, a smaller bias',
    run: orGate.run,
  },
  {
    chapter: 'ch02',
    name: 'xor-gate',
    section: '2.5.2',
    title: 'XOR from two layers of perceptrons: AND(NAND, OR)',
    run: xorGate.run,
  },
  {
    chapter: 'ch04',
    name: 'gradient-1d',
    section: '4.3.2',
    title: 'numerical differentiation of 0.01x² + 0.1x and its tangent line (figure 4-7)',
    run: gradient1d.run,
  },
  {
    chapter: 'ch04',
    name: 'gradient-2d',
    section: '4.4',
    title: 'the gradient of x0² + x1², drawn as arrows on a grid (figure 4-9)',
    run: gradient2d.run,
  },
  {
    chapter: 'ch04',
    name: 'gradient-method',
    section: '4.4.1',
    title: 'gradient descent on x0² + x1² from (−3, 4) and its path (figure 4-10)',
    run: gradientMethod.run,
  },
  {
    chapter: 'ch04',
    name: 'gradient-simplenet',
    section: '4.4.2',
    title: 'the gradient of a loss with respect to the weights of a 2×3 net',
    run: gradientSimplenet.run,
  },
  {
    chapter: 'ch05',
    name: 'buy-apple',
    section: '5.4.1',
    title: 'backpropagation through multiplication layers: apples and tax',
    run: buyApple.run,
  },
  {
    chapter: 'ch05',
    name: 'buy-apple-orange',
    section: '5.4.2',
    title: 'backpropagation through an addition layer: apples, oranges and tax',
    run: buyAppleOrange.run,
  },
  {
    chapter: 'ch05',
    name: 'gradient-check',
    section: '5.7.3',
    title: 'gradient check: backpropagation against numerical gradients on MNIST',
    run: gradientCheck.run,
  },
];

/** 'ch02/and-gate', the name a script is run by. */
export const scriptId = (script: BookScript) => `${script.chapter}/${script.name}`;

/** `--list`: the scripts by chapter, one line each: name, section, what it shows. */
export function formatScriptList(scripts: readonly BookScript[] = BOOK_SCRIPTS): string[] {
  const width = Math.max(...scripts.map((s) => scriptId(s).length));
  const sectionWidth = Math.max(...scripts.map((s) => s.section.length));
  const lines: string[] = [];
  for (const chapter of [...new Set(scripts.map((s) => s.chapter))]) {
    if (lines.length > 0) lines.push('');
    lines.push(`${chapter}: ${CHAPTER_TITLES[chapter] ?? ''}`.trimEnd());
    for (const s of scripts.filter((s) => s.chapter === chapter)) {
      lines.push(`  ${scriptId(s).padEnd(width)}  ${s.section.padEnd(sectionWidth)}  ${s.title}`);
    }
  }
  return lines;
}

/** The number of single-character edits between a and b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The script called `id`: 'ch02/and-gate', also as the book's file ('ch02/and_gate.py'). An
 * unknown name throws an error naming the close matches and `--list`.
 */
export function findScript(id: string): BookScript {
  const wanted = id.trim().toLowerCase().replace(/\.py$/, '').replace(/_/g, '-');
  const found = BOOK_SCRIPTS.find((s) => scriptId(s) === wanted);
  if (found) return found;
  const ids = BOOK_SCRIPTS.map(scriptId);
  const close = ids.filter((candidate) => {
    const name = candidate.split('/')[1]!;
    const wantedName = wanted.split('/').at(-1)!;
    return (
      editDistance(candidate, wanted) <= 3 ||
      (wantedName.length >= 2 && (name.includes(wantedName) || wantedName.includes(name)))
    );
  });
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  throw new Error(`no book script "${id}"${hint} (scratchnet book --list shows all ${ids.length})`);
}
