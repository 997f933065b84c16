/**
 * The book's chapter scripts (oreilly-japan/deep-learning-from-scratch), one TypeScript file
 * each in `ch02/`, `ch04/`, …, to be read beside the book. `scratchnet book --list` shows this
 * table; `scratchnet book ch04/gradient-method` runs one.
 */
import { closestNames } from '@scratchnet/tensor';
import { ch02 } from './ch02/index.js';
import { ch03 } from './ch03/index.js';
import { ch04 } from './ch04/index.js';
import { ch05 } from './ch05/index.js';
import { ch06 } from './ch06/index.js';
import { ch07 } from './ch07/index.js';
import { ch08 } from './ch08/index.js';
import type { BookChapter, BookScript } from './script.js';
import { type BookLanguage, bookSection, compareSectionNumbers } from './sections.js';

export type { BookChapter, BookScript } from './script.js';

/** Every chapter folder, in the book's order; each lists its own scripts in `CHAPTER/index.ts`. */
export const BOOK_CHAPTERS: readonly BookChapter[] = [ch02, ch03, ch04, ch05, ch06, ch07, ch08];

/** A script with the chapter it belongs to. */
export type RegisteredScript = BookScript & { chapter: string };

export const BOOK_SCRIPTS: readonly RegisteredScript[] = BOOK_CHAPTERS.flatMap(
  ({ chapter, scripts }) => scripts.map((script) => ({ ...script, chapter })),
);

/** 'ch02/and-gate', the name a script is run by. */
export const scriptId = (script: RegisteredScript) => `${script.chapter}/${script.name}`;

/** 'ch04' → '4', the chapter's number in the book's table of contents. */
export const chapterNumber = (chapter: string) => String(Number(chapter.slice(2)));

/**
 * `--list`: the scripts by chapter, one line each: name, section, what it shows, in the book's
 * order of sections within a chapter (6.3 before 6.3.2; scripts of one section as registered). In
 * Korean or Japanese (`--lang ko|ja`) each line gives the book's section title as that edition
 * prints it.
 */
export function formatScriptList(
  scripts: readonly RegisteredScript[] = BOOK_SCRIPTS,
  lang: BookLanguage = 'en',
): string[] {
  const width = Math.max(...scripts.map((s) => scriptId(s).length));
  const sectionWidth = Math.max(...scripts.map((s) => s.section.length));
  const lines: string[] = [];
  for (const chapter of [...new Set(scripts.map((s) => s.chapter))]) {
    if (lines.length > 0) lines.push('');
    lines.push(`${chapter}: ${bookSection(chapterNumber(chapter)).title[lang]}`);
    const inChapter = scripts.filter((s) => s.chapter === chapter);
    // Array.prototype.sort is stable: a section's scripts keep their registered order.
    inChapter.sort((a, b) => compareSectionNumbers(a.section, b.section));
    for (const s of inChapter) {
      const what = lang === 'en' ? s.title : bookSection(s.section).title[lang];
      lines.push(`  ${scriptId(s).padEnd(width)}  ${s.section.padEnd(sectionWidth)}  ${what}`);
    }
  }
  return lines;
}

/**
 * The script called `id`: 'ch02/and-gate', also as the book's file ('ch02/and_gate.py'). An
 * unknown name throws an error naming the close matches and `--list`.
 */
export function findScript(id: string): RegisteredScript {
  const wanted = id.trim().toLowerCase().replace(/\.py$/, '').replace(/_/g, '-');
  const found = BOOK_SCRIPTS.find((s) => scriptId(s) === wanted);
  if (found) return found;
  const ids = BOOK_SCRIPTS.map(scriptId);
  const close = ids.filter((candidate) => {
    const name = candidate.split('/')[1]!;
    const wantedName = wanted.split('/').at(-1)!;
    return (
      closestNames(wanted, [candidate]).length > 0 ||
      (wantedName.length >= 2 && (name.includes(wantedName) || wantedName.includes(name)))
    );
  });
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  throw new Error(`no book script "${id}"${hint} (scratchnet book --list shows all ${ids.length})`);
}
