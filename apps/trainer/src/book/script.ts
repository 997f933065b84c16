import type { BookContext } from './context.js';

/** One of the book's chapter scripts, as `scratchnet book CHAPTER/NAME` runs it. */
export interface BookScript {
  /** The script's file name with `_` turned into `-`, without `.py`: 'and-gate'. */
  name: string;
  /** The section of the book the script belongs to: '2.3.2'. */
  section: string;
  /** What it shows, in a few words. */
  title: string;
  /**
   * The figures it writes (file name → the book's figure number, '4-9'; '' where the book
   * prints none), as docs/book-figures.md shows them.
   */
  figures?: Readonly<Record<string, string>>;
  run(ctx: BookContext): void | Promise<void>;
}

/** A folder of the book's repository: 'ch02' and its scripts, in the book's order. */
export interface BookChapter {
  chapter: string;
  /** The chapter's title as the English edition prints it. */
  title: string;
  scripts: readonly BookScript[];
}
