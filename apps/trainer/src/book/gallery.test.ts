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

  it('gives each figure the book’s number', () => {
    const numbers = Object.fromEntries(
      galleryFigures().map(({ id, file, figure }) => [`${id} → ${file}`, figure]),
    );
    expect(numbers).toMatchObject({
      'ch03/step-function → step_function.png': '3-6',
      'ch03/sigmoid → sigmoid.png': '3-7',
      'ch03/sig-step-compare → sig_step_compare.png': '3-8',
      'ch03/relu → relu.png': '3-9',
      'ch03/mnist-show → mnist_show.png': '3-25',
      'ch04/gradient-1d → gradient_1d.png': '4-7',
      'ch04/gradient-2d → gradient_2d.png': '4-9',
      'ch04/gradient-method → gradient_method.png': '4-10',
      'ch04/train-neuralnet → train_neuralnet.png': '4-12',
      'ch06/optimizer-compare-naive → optimizer_compare_naive.png': '6-8',
      'ch06/optimizer-compare-mnist → optimizer_compare_mnist.png': '6-9',
      'ch06/weight-init-compare → weight_init_compare.png': '6-15',
      // The 4×4 grid of the 16 weight scales; figure 6-18 is one scale's two curves.
      'ch06/batch-norm-test → batch_norm_test.png': '6-19',
      'ch06/overfit-dropout → overfit_dropout.png': '6-23',
      'ch06/hyperparameter-optimization → hyperparameter_optimization.png': '6-24',
      'ch07/visualize-filter → filters_before.png': '7-24',
      'ch07/visualize-filter → filters_after.png': '7-24',
      'ch07/apply-filter → apply_filter.png': '7-25',
      // Figure 8-1 is DeepConvNet, 8-3 the ranking of methods on MNIST, 8-4 data augmentation.
      'ch08/misclassified-mnist → misclassified_mnist.png': '8-2',
    });
  });

  it('gives each figure the command the chapter guides give, --weights where it needs the book’s file', () => {
    const commands = Object.fromEntries(galleryFigures().map(({ id, command }) => [id, command]));
    expect(commands['ch08/misclassified-mnist']).toBe(
      'pnpm scratchnet book ch08/misclassified-mnist --weights deep_convnet_params.pkl',
    );
    // Runs in a fresh clone: without trained filters it draws the random ones and says so.
    expect(commands['ch07/visualize-filter']).toBe('pnpm scratchnet book ch07/visualize-filter');
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
