/**
 * `pnpm --filter @scratchnet/trainer book-figures [--runs DIR] [--params DIR] [--threads N]`:
 * the gallery docs/book-figures.md. Every script that draws a figure runs at the book's sizes
 * (or, with `--runs DIR`, its figures are taken from `DIR/CHAPTER-NAME/`, where a full run wrote
 * them); the figures are copied to docs/figures/book/ and listed beside the book's figure
 * numbers. The scripts that load the book's trained parameters get them from `--params DIR`
 * (default ../shared/book-params, beside the repository).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '../training/backend.js';
import { createBookContext } from './context.js';
import { FIGURES_DIR, GALLERY_FILE, withFigureGallery } from './gallery.js';
import { BOOK_SCRIPTS, scriptId } from './registry.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The book's trained parameters the figure scripts load, as the book's figures were drawn. */
const BOOK_WEIGHTS: Record<string, string> = {
  'ch07/visualize-filter': 'simple_convnet_params_2016.pkl',
  'ch07/apply-filter': 'simple_convnet_params_2016.pkl',
  'ch08/misclassified-mnist': 'deep_convnet_params_2016.pkl',
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    params: { type: 'string', default: resolve(repoRoot, '../shared/book-params') },
    threads: { type: 'string', default: '2' },
  },
});
await useBackend('wasm', Number(values.threads));
const figuresDir = resolve(repoRoot, FIGURES_DIR);
mkdirSync(figuresDir, { recursive: true });

for (const script of BOOK_SCRIPTS) {
  const names = Object.keys(script.figures ?? {});
  if (names.length === 0) continue;
  const folder = `${script.chapter}-${script.name}`;
  const ready = values.runs ? resolve(values.runs, folder) : undefined;
  let outDir: string;
  if (ready && names.every((name) => existsSync(join(ready, name)))) {
    outDir = ready;
    console.log(`${scriptId(script)}: figures from ${ready}`);
  } else {
    outDir = resolve(repoRoot, 'runs', 'book-figures', folder);
    const weights = BOOK_WEIGHTS[scriptId(script)];
    const ctx = createBookContext({
      quick: false,
      outDir,
      weights: weights ? resolve(values.params, weights) : undefined,
      print: () => {},
    });
    const started = performance.now();
    await script.run(ctx);
    console.log(
      `${scriptId(script)}: ran in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  for (const name of names) {
    copyFileSync(join(outDir, name), join(figuresDir, `${folder}-${name}`));
  }
}

const gallery = resolve(repoRoot, GALLERY_FILE);
writeFileSync(gallery, withFigureGallery(readFileSync(gallery, 'utf8')));
console.log(`${GALLERY_FILE}: written`);
