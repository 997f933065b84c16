import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatChapterGuide, GUIDE_FILES, LIBRARY_PIECES, withChapterGuide } from './guide.js';
import { BOOK_SCRIPTS, formatScriptList, scriptId } from './registry.js';
import { BOOK_SECTIONS, bookSection, compareSectionNumbers } from './sections.js';

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

  it('lists each chapter’s scripts in the book’s order of sections (6.3 before 6.3.2)', () => {
    for (const lang of ['en', 'ko', 'ja'] as const) {
      const lines = formatScriptList(undefined, lang);
      const listed: { id: string; section: string; chapter: string }[] = [];
      for (const line of lines) {
        const m = line.match(/^ {2}(ch\d\d)\/(\S+)\s+(\d+(?:\.\d+)*)\s/);
        if (m) listed.push({ chapter: m[1]!, id: `${m[1]}/${m[2]}`, section: m[3]! });
      }
      expect(listed.map((s) => s.id).sort(), lang).toEqual(BOOK_SCRIPTS.map(scriptId).sort());
      for (let i = 1; i < listed.length; i++) {
        const [before, after] = [listed[i - 1]!, listed[i]!];
        if (before.chapter !== after.chapter) continue;
        expect(
          compareSectionNumbers(before.section, after.section),
          `${lang}: ${before.id} (${before.section}) before ${after.id} (${after.section})`,
        ).toBeLessThanOrEqual(0);
      }
      const at = (id: string) => listed.findIndex((s) => s.id === id);
      expect(at('ch06/batch-norm-gradient-check')).toBeLessThan(at('ch06/batch-norm-test'));
    }
    // Scripts of one section keep the order their chapter registers them in.
    const ch07 = formatScriptList(BOOK_SCRIPTS.filter((s) => s.chapter === 'ch07'));
    const order = ['simple-convnet', 'gradient-check', 'train-convnet'].map((name) =>
      ch07.findIndex((l) => l.includes(`ch07/${name} `)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
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
