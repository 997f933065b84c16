import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatChapterGuide, GUIDE_FILES, LIBRARY_PIECES, withChapterGuide } from './guide.js';
import { BOOK_SCRIPTS, formatScriptList, scriptId } from './registry.js';
import { BOOK_SECTIONS, bookSection } from './sections.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('the book’s table of contents', () => {
  it('gives every script a section that is in the table, in every language', () => {
    for (const script of BOOK_SCRIPTS) {
      const { title } = bookSection(script.section);
      for (const text of Object.values(title)) expect(text, scriptId(script)).not.toBe('');
    }
    expect(
      Object.keys(LIBRARY_PIECES).filter((n) => !BOOK_SECTIONS.some((s) => s.number === n)),
    ).toEqual([]);
  });

  it('numbers the sections in the book’s order, each once', () => {
    const numbers = BOOK_SECTIONS.map((s) => s.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const key = (n: string) =>
      n
        .split('.')
        .map((part) => part.padStart(3, '0'))
        .join('.');
    expect(numbers.map(key)).toEqual([...numbers.map(key)].sort());
  });

  it('lists the scripts with the Korean and Japanese section titles (--lang)', () => {
    const ko = formatScriptList(undefined, 'ko');
    const ja = formatScriptList(undefined, 'ja');
    expect(ko[0]).toBe('ch02: 퍼셉트론');
    expect(ja[0]).toBe('ch02: パーセプトロン');
    expect(ko.find((l) => l.includes('ch04/gradient-method'))).toMatch(
      /4\.4\.1\s+경사법\(경사 하강법\)$/,
    );
    expect(ja.find((l) => l.includes('ch04/gradient-method'))).toMatch(/4\.4\.1\s+勾配法$/);
    expect(ko.find((l) => l.includes('ch05/buy-apple '))).toMatch(/5\.4\.1\s+곱셈 계층$/);
  });
});

describe('the chapter guides', () => {
  it('give every script its command, once, in each language', () => {
    for (const lang of ['en', 'ko', 'ja'] as const) {
      const guide = formatChapterGuide(lang);
      for (const script of BOOK_SCRIPTS) {
        const command = `pnpm scratchnet book ${scriptId(script)}`;
        const uses = guide
          .split(`\`${command}`)
          .slice(1)
          .filter((after) => /^[` ]/.test(after));
        expect(uses.length, `${lang}: ${command}`).toBe(1);
      }
    }
    expect(formatChapterGuide('ko')).toContain('### 4장 신경망 학습');
    expect(formatChapterGuide('ja')).toContain('### 4章 ニューラルネットワークの学習');
  });

  for (const { path, lang, allSections } of GUIDE_FILES) {
    it(`${path} holds the guide as the registry makes it (pnpm --filter @scratchnet/trainer book-guide rewrites it)`, () => {
      const text = readFileSync(resolve(repoRoot, path), 'utf8');
      expect(withChapterGuide(text, lang, { allSections })).toBe(text);
    });
  }

  it('refuses a file without the markers', () => {
    expect(() => withChapterGuide('# no guide here', 'ko')).toThrow(/book-guide:ko/);
  });
});
