/**
 * `pnpm --filter @scratchnet/trainer book-guide`: rewrites the chapter guides of README.ko.md,
 * README.ja.md and docs/book-map.md from the registry (run after adding a script).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUIDE_FILES, withChapterGuide } from './guide.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
for (const { path, lang, allSections } of GUIDE_FILES) {
  const file = resolve(repoRoot, path);
  const before = readFileSync(file, 'utf8');
  const after = withChapterGuide(before, lang, { allSections });
  if (after !== before) writeFileSync(file, after);
  console.log(`${path}: ${after === before ? 'up to date' : 'rewritten'}`);
}
