import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GALLERY_FILE, galleryFigures, withFigureGallery } from './gallery.js';
import { pngSize } from './testing.js';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs');

describe('docs/book-figures.md', () => {
  it('lists every figure the registry declares, as the registry makes it (book-figures rewrites it)', () => {
    const text = readFileSync(resolve(docs, '..', GALLERY_FILE), 'utf8');
    expect(withFigureGallery(text)).toBe(text);
  });

  it('has each picture committed: a PNG of sensible size, small on disk', () => {
    const figures = galleryFigures();
    expect(figures.length).toBeGreaterThanOrEqual(25);
    for (const { path } of figures) {
      const file = resolve(docs, path);
      expect(existsSync(file), `${file} is missing: run the book-figures script`).toBe(true);
      const { width, height } = pngSize(file);
      expect(Math.min(width, height), path).toBeGreaterThanOrEqual(100);
      expect(statSync(file).size, path).toBeLessThan(200_000);
    }
  });
});
