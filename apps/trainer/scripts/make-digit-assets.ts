/**
 * Draws the hand-written-looking digits in `test-assets/` that `scratchnet predict` is tried on:
 * thick round-capped pen strokes, dark ink on off-white 200×200 canvases, the way someone draws
 * a digit in a paint program. The strokes are SVG paths rendered (anti-aliased) by resvg.
 *
 *   npx tsx apps/trainer/scripts/make-digit-assets.ts [--preview DIR]
 *
 * With --preview, also writes DIR/digit-previews.png: the 28×28 MNIST-style inputs the
 * digits become, to check by eye that they look like MNIST digits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svgToPng } from '../src/charts.js';
import { decodeImage, toMnistInput } from '../src/image-input.js';
import { renderImageGrid } from '../src/pictures.js';

const CANVAS = 200;
const PAPER = '#f7f6f1';
const INK = '#1d1f2b';

/**
 * Each digit's strokes as SVG path data. Stroke widths are about 11% of the digit's height,
 * as in MNIST (2–3 pixels of a 20-pixel digit); the slight curves and slants are a hand's.
 */
const DIGITS: Record<string, { strokeWidth: number; paths: string[] }> = {
  // A horizontal top bar, a little wavy, then a long diagonal down-stroke bending slightly.
  '7': {
    strokeWidth: 15,
    paths: ['M 58 55 Q 100 49 143 52 Q 118 95 106 125 Q 99 143 95 158'],
  },
  // A mostly vertical stroke, leaning right at the top, as a person writes it.
  '1': {
    strokeWidth: 15,
    paths: ['M 110 40 Q 104 100 96 160'],
  },
  // Two bowls open to the left, meeting in the middle.
  '3': {
    strokeWidth: 15,
    paths: [
      'M 66 62 C 78 38, 132 34, 134 66 C 135 88, 114 97, 94 99 C 122 99, 142 112, 139 134 C 136 163, 86 172, 62 148',
    ],
  },
};

function digitSvg({ strokeWidth, paths }: { strokeWidth: number; paths: string[] }): string {
  const strokes = paths.map(
    (d) =>
      `<path d="${d}" fill="none" stroke="${INK}" stroke-width="${strokeWidth}" stroke-linecap="round" stroke-linejoin="round"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS}" height="${CANVAS}">`,
    `<rect width="${CANVAS}" height="${CANVAS}" fill="${PAPER}"/>`,
    ...strokes,
    '</svg>',
  ].join('\n');
}

const assetsDir = fileURLToPath(new URL('../test-assets/', import.meta.url));
const previewFlag = process.argv.indexOf('--preview');
const previewDir = previewFlag >= 0 ? process.argv[previewFlag + 1] : undefined;

const previews = Object.entries(DIGITS).map(([digit, drawing]) => {
  const path = `${assetsDir}digit-${digit}.png`;
  writeFileSync(path, svgToPng(digitSvg(drawing)));
  console.log(`wrote ${path}`);
  const { pixels } = toMnistInput(decodeImage(readFileSync(path), path), path);
  return { pixels, caption: `digit-${digit}.png` };
});

if (previewDir) {
  const path = `${previewDir}/digit-previews.png`;
  writeFileSync(path, renderImageGrid(previews, { title: 'As MNIST input (28×28)', scale: 6 }));
  console.log(`wrote ${path}`);
}
