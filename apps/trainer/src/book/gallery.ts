/**
 * docs/book-figures.md: every figure the book's scripts draw, under the book's figure number,
 * made from the registry (each script's `figures`) so that it lists exactly what the scripts
 * write. The pictures are in docs/figures/book/, named CHAPTER-NAME-FILE.png.
 */
import { scriptCommand } from './guide.js';
import { BOOK_SCRIPTS, chapterNumber, scriptId } from './registry.js';
import { bookSection } from './sections.js';

export const GALLERY_FILE = 'docs/book-figures.md';
export const FIGURES_DIR = 'docs/figures/book';

const START = '<!-- book-figures -->';
const END = '<!-- book-figures:end -->';

/**
 * Every declared figure: its picture's path (relative to docs/), its script, its book number,
 * and the command that draws it, as the chapter guides give it (`--weights FILE` for the scripts
 * that load the book's saved parameters).
 */
export function galleryFigures(): {
  path: string;
  id: string;
  file: string;
  figure: string;
  command: string;
}[] {
  return BOOK_SCRIPTS.flatMap((script) =>
    Object.entries(script.figures ?? {}).map(([file, figure]) => ({
      path: `figures/book/${script.chapter}-${script.name}-${file}`,
      id: scriptId(script),
      file,
      figure,
      command: scriptCommand(script),
    })),
  );
}

/** The gallery as Markdown: a heading per chapter, then each figure with its caption. */
export function formatFigureGallery(): string {
  const blocks: string[] = [];
  let chapter = '';
  for (const { path, id, file, figure, command } of galleryFigures()) {
    const scriptChapter = id.split('/')[0]!;
    if (scriptChapter !== chapter) {
      chapter = scriptChapter;
      const n = chapterNumber(chapter);
      blocks.push(`### Chapter ${n}: ${bookSection(n).title.en}`);
    }
    const label = figure ? `Figure ${figure}` : 'Not a numbered figure in the book';
    blocks.push(
      `**${label}** — \`${command}\` → \`${file}\`\n\n<img src="${path}" alt="${label}: ${id}, ${file}" width="420">`,
    );
  }
  return blocks.join('\n\n');
}

/** `text` with the gallery between its markers; throws when the file has none. */
export function withFigureGallery(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${GALLERY_FILE}: no ${START} … ${END} markers`);
  return `${text.slice(0, start + START.length)}\n\n${formatFigureGallery()}\n\n${text.slice(end)}`;
}
