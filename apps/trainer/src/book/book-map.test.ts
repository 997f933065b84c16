/**
 * docs/book-map.md and the book's table of contents behind it (sections.ts): every numbered
 * heading of chapters 2–8 is in the table, in the book's order, and has its row in the map; the
 * hand-written rows name only what the packages export.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as datasets from '@scratchnet/datasets';
import * as layers from '@scratchnet/layers';
import * as serialization from '@scratchnet/serialization';
import * as serializationNode from '@scratchnet/serialization/node';
import * as tensor from '@scratchnet/tensor';
import * as training from '@scratchnet/training';
import { describe, expect, it } from 'vitest';
import { BOOK_SECTIONS, bookSection, compareSectionNumbers } from './sections.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bookMap = readFileSync(resolve(repoRoot, 'docs/book-map.md'), 'utf8');

/**
 * The book's table of contents, chapters 2–8, every heading down to the third level, in the
 * book's order (the same numbers in the Japanese original and the Korean edition). Written out
 * here, apart from sections.ts, so that a section cannot drop out of the table unnoticed.
 */
const TABLE_OF_CONTENTS = `
2 2.1 2.2 2.2.1 2.2.2 2.3 2.3.1 2.3.2 2.3.3 2.4 2.4.1 2.4.2 2.5 2.5.1 2.5.2 2.6 2.7
3 3.1 3.1.1 3.1.2 3.1.3 3.2 3.2.1 3.2.2 3.2.3 3.2.4 3.2.5 3.2.6 3.2.7 3.3 3.3.1 3.3.2 3.3.3
  3.4 3.4.1 3.4.2 3.4.3 3.5 3.5.1 3.5.2 3.5.3 3.5.4 3.6 3.6.1 3.6.2 3.6.3 3.7
4 4.1 4.1.1 4.1.2 4.2 4.2.1 4.2.2 4.2.3 4.2.4 4.2.5 4.3 4.3.1 4.3.2 4.3.3 4.4 4.4.1 4.4.2
  4.5 4.5.1 4.5.2 4.5.3 4.6
5 5.1 5.1.1 5.1.2 5.1.3 5.2 5.2.1 5.2.2 5.2.3 5.3 5.3.1 5.3.2 5.3.3 5.4 5.4.1 5.4.2
  5.5 5.5.1 5.5.2 5.6 5.6.1 5.6.2 5.6.3 5.7 5.7.1 5.7.2 5.7.3 5.7.4 5.8
6 6.1 6.1.1 6.1.2 6.1.3 6.1.4 6.1.5 6.1.6 6.1.7 6.1.8 6.2 6.2.1 6.2.2 6.2.3 6.2.4
  6.3 6.3.1 6.3.2 6.4 6.4.1 6.4.2 6.4.3 6.5 6.5.1 6.5.2 6.5.3 6.6
7 7.1 7.2 7.2.1 7.2.2 7.2.3 7.2.4 7.2.5 7.2.6 7.2.7 7.3 7.3.1 7.4 7.4.1 7.4.2 7.4.3 7.4.4
  7.5 7.6 7.6.1 7.6.2 7.7 7.7.1 7.7.2 7.8
8 8.1 8.1.1 8.1.2 8.1.3 8.2 8.2.1 8.2.2 8.2.3 8.2.4 8.3 8.3.1 8.3.2 8.3.3 8.3.4
  8.4 8.4.1 8.4.2 8.4.3 8.5 8.5.1 8.5.2 8.5.3 8.5.4 8.6
`
  .trim()
  .split(/\s+/);

/** Each chapter's closing summary. */
const SUMMARIES = ['2.7', '3.7', '4.6', '5.8', '6.6', '7.8', '8.6'];

describe('the book’s table of contents (sections.ts)', () => {
  it('has every heading of chapters 2–8, and nothing else', () => {
    const numbers = BOOK_SECTIONS.map((s) => s.number);
    expect(numbers.filter((n) => !TABLE_OF_CONTENTS.includes(n))).toEqual([]);
    expect(TABLE_OF_CONTENTS.filter((n) => !numbers.includes(n))).toEqual([]);
    expect(numbers).toEqual(TABLE_OF_CONTENTS);
  });

  it('gives every section a title in English, Korean and Japanese', () => {
    for (const { number, title } of BOOK_SECTIONS) {
      for (const [lang, text] of Object.entries(title)) {
        expect(text.trim(), `${number} (${lang})`).not.toBe('');
        expect(text, `${number} (${lang})`).toBe(text.trim());
      }
    }
  });

  it('ends each chapter with its summary: 정리, まとめ', () => {
    for (const n of SUMMARIES) {
      expect(bookSection(n).title).toEqual({ en: 'Summary', ko: '정리', ja: 'まとめ' });
      const chapter = n.split('.')[0]!;
      const last = BOOK_SECTIONS.filter((s) => s.number.split('.')[0] === chapter).at(-1);
      expect(last?.number).toBe(n);
    }
  });

  it('keeps the titles the editions print for a few of the third-level headings', () => {
    expect(bookSection('3.4.1').title.ko).toBe('표기법 설명');
    expect(bookSection('3.4.1').title.ja).toBe('記号の確認');
    expect(bookSection('4.2.4').title.ko).toBe('(배치용) 교차 엔트로피 오차 구현하기');
    expect(bookSection('4.2.4').title.ja).toBe('［バッチ対応版］交差エントロピー誤差の実装');
    expect(bookSection('5.3.3').title.ko).toBe('사과 쇼핑의 예');
    expect(bookSection('5.3.3').title.ja).toBe('リンゴの例');
    expect(bookSection('8.5.4').title.ja).toBe('Deep Q-Network（強化学習）');
  });

  it('is in the book’s order, comparing the numbers part by part as numbers', () => {
    const numbers = BOOK_SECTIONS.map((s) => s.number);
    expect([...numbers].sort(compareSectionNumbers)).toEqual(numbers);
    for (let i = 1; i < numbers.length; i++) {
      expect(compareSectionNumbers(numbers[i - 1]!, numbers[i]!), numbers[i]).toBeLessThan(0);
    }
  });

  it('compares section numbers as the book orders them', () => {
    const sorted = ['6.4', '6.3.2', '2.10', '6.3', '2.9', '6', '6.3.1', '10.1'].sort(
      compareSectionNumbers,
    );
    expect(sorted).toEqual(['2.9', '2.10', '6', '6.3', '6.3.1', '6.3.2', '6.4', '10.1']);
    expect(compareSectionNumbers('5.4.1', '5.4.1')).toBe(0);
  });
});

/** docs/book-map.md between `<!-- book-guide:en -->` and its end marker. */
function generatedPart(): string {
  const start = bookMap.indexOf('<!-- book-guide:en -->');
  const end = bookMap.indexOf('<!-- book-guide:en:end -->');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return bookMap.slice(start, end);
}

describe('docs/book-map.md', () => {
  it('has a row for every section of sections.ts, in the book’s order', () => {
    const rows = generatedPart()
      .split('\n')
      .map((line) => line.match(/^\| (\d+(?:\.\d+)+) \| ([^|]+) \|/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1]!, m[2]!.trim()] as const);
    const sections = BOOK_SECTIONS.filter((s) => s.number.includes('.'));
    const missing = sections.filter((s) => !rows.some(([n]) => n === s.number));
    expect(
      missing.map((s) => s.number),
      'run pnpm --filter @scratchnet/trainer book-guide',
    ).toEqual([]);
    expect(rows).toEqual(sections.map((s) => [s.number, s.title.en] as const));
  });

  it('has a heading for every chapter', () => {
    const part = generatedPart();
    for (const s of BOOK_SECTIONS.filter((s) => !s.number.includes('.'))) {
      expect(part).toContain(`### Chapter ${s.number}: ${s.title.en}\n`);
    }
  });
});

/** The rows of the hand-written table under the heading that starts with `heading`. */
function handWrittenRows(heading: string): string[][] {
  const start = bookMap.indexOf(`\n## ${heading}`);
  expect(start, heading).toBeGreaterThan(bookMap.indexOf('<!-- book-guide:en:end -->'));
  const end = bookMap.indexOf('\n## ', start + 1);
  return bookMap
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** What each package exports, by the name the tables give it. */
const EXPORTS: Record<string, Record<string, unknown>> = {
  tensor,
  layers,
  datasets,
  training,
  serialization,
  'serialization/node': serializationNode,
};

/**
 * The book's functions that item 20 of issue #22 added to the hand-written tables: the table, the
 * status, and the scratchnet names the row gives, each with the package that must export it.
 */
const BOOK_FUNCTIONS: {
  book: string;
  table: string;
  status: 'present' | 'none';
  names: [name: string, pkg: keyof typeof EXPORTS][];
}[] = [
  { book: 'identity_function', table: 'Functions', status: 'none', names: [] },
  {
    book: 'softmax_loss',
    table: 'Functions',
    status: 'present',
    names: [
      ['softmaxCrossEntropy', 'tensor'],
      ['softmaxCrossEntropy', 'layers'],
    ],
  },
  {
    book: 'conv_output_size',
    table: 'Functions',
    status: 'present',
    names: [
      ['windowGeometry', 'tensor'],
      ['inferSequentialShapes', 'layers'],
    ],
  },
  {
    book: 'smooth_curve',
    table: 'Functions',
    status: 'present',
    names: [['smoothCurve', 'training']],
  },
  {
    book: 'shuffle_dataset',
    table: 'Functions',
    status: 'none',
    names: [
      ['RandomGenerator', 'tensor'],
      ['trainValidationSplit', 'datasets'],
      ['randomSplit', 'datasets'],
      ['ArrayDataset', 'datasets'],
    ],
  },
  {
    book: 'save_params',
    table: 'Networks',
    status: 'present',
    names: [
      ['saveModel', 'serialization'],
      ['loadModel', 'serialization'],
      ['importBookParams', 'serialization'],
    ],
  },
];

describe('docs/book-map.md’s hand-written tables', () => {
  for (const { book, table, status, names } of BOOK_FUNCTIONS) {
    it(`map ${book} to what the packages export`, () => {
      const row = handWrittenRows(table).find(([cell]) => cell!.startsWith(`\`${book}(`));
      expect(row, `a row for ${book} in "## ${table}"`).toBeDefined();
      expect(row!.at(-1)).toBe(status);
      for (const [name, pkg] of names) {
        expect(row![2], `${book}: ${name}`).toContain(name);
        expect(EXPORTS[pkg]![name], `@scratchnet/${pkg} exports ${name}`).toBeDefined();
      }
    });
  }

  it('name the book’s load_params beside save_params, and the file writer they point to', () => {
    const row = handWrittenRows('Networks').find(([cell]) => cell!.includes('`save_params('));
    expect(row?.[0]).toContain('`load_params(');
    expect(bookMap).toContain('`writeFileAtomicSync(path, saveModel(network))`');
    expect(serializationNode.writeFileAtomicSync).toBeTypeOf('function');
    const browser = {
      downloadModel: serialization.downloadModel,
      saveModelToIndexedDb: serialization.saveModelToIndexedDb,
      loadModelFromIndexedDb: serialization.loadModelFromIndexedDb,
    };
    for (const [name, fn] of Object.entries(browser)) {
      expect(bookMap).toContain(`\`${name}(`);
      expect(fn, name).toBeTypeOf('function');
    }
  });
});
