import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { expectFigures, numbersIn, runScript, scriptNames } from '../testing.js';
import { ch07 } from './index.js';
import { NO_TRAINED_CONVNET } from './visualize-filter.js';

// The book's own saved parameters live beside the repository (../shared/book-params), never in it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const bookParams = resolve(repoRoot, '../shared/book-params/simple_convnet_params_2016.pkl');
const haveBookParams = existsSync(bookParams);
const skipReason = `skipped: ${bookParams} is absent (the book's parameter files are not in the repository)`;

/** ch07/train-convnet in --quick mode, once: its printed lines and the model file it saved. */
let trained: Promise<{ lines: string[]; files: string[]; model: string }> | undefined;
function trainConvnet() {
  trained ??= runScript('ch07/train-convnet').then(({ lines, files }) => {
    const model = lines.map((line) => line.match(/^\((.+\.safetensors): /)?.[1]).find(Boolean);
    return { lines, files, model: model! };
  });
  return trained;
}

describe('scratchnet book: ch07 convolutional neural networks', () => {
  it('simple-convnet prints the book’s parameter shapes and the layers', async () => {
    const { lines } = await runScript('ch07/simple-convnet');
    expect(lines[0]).toBe('conv - relu - pool - affine - relu - affine - softmax');
    const shapes = lines.filter((line) => /^[Wb]\d /.test(line)).map((l) => l.split('  ')[0]);
    expect(shapes).toEqual([
      'W1 (30, 1, 5, 5)',
      'b1 (30,)',
      'W2 (4320, 100)',
      'b2 (100,)',
      'W3 (100, 10)',
      'b3 (10,)',
    ]);
    expect(lines).toContain('W2 (4320, 100)    fc1.weight [100, 4320], transposed');
    expect(lines).toContain('pool1 (MaxPool2d)  [1, 30, 12, 12]        0');
    expect(lines.at(-1)).toBe('Total params: 433,890');
  });

  it('gradient-check: each mean difference is below the float32 bound it states', async () => {
    const { lines } = await runScript('ch07/gradient-check');
    expect(lines.slice(0, 6).map((line) => line.split(' ')[0])).toEqual([
      'W1',
      'b1',
      'W2',
      'b2',
      'W3',
      'b3',
    ]);
    const bound = Number(lines[6]!.match(/below (\S+?)\./)?.[1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(1e-6);
    for (const line of lines.slice(0, 6)) {
      const [diff] = numbersIn(line.split(' ')[1]!);
      expect(diff, line).toBeGreaterThan(0);
      expect(diff, line).toBeLessThan(bound);
    }
  });

  it('train-convnet prints the book’s Trainer lines, saves the model and draws the accuracies', async () => {
    const { lines, files, model } = await trainConvnet();
    // --quick: 300 images in batches of 100, 2 epochs: 6 steps, an evaluation after steps 1 and 4.
    const losses = lines.filter((line) => line.startsWith('train loss:'));
    expect(losses).toHaveLength(6);
    for (const line of losses) {
      expect(line).toMatch(/^train loss:\d+\.\d+$/);
      expect(Number(line.slice('train loss:'.length))).toBeLessThan(2.5);
    }
    const epochs = lines.filter((line) => line.startsWith('=== epoch:'));
    expect(epochs).toHaveLength(2);
    epochs.forEach((line, i) => {
      expect(line).toMatch(
        new RegExp(`^=== epoch:${i + 1}, train acc:[01]\\.\\d+, test acc:[01]\\.\\d+ ===$`),
      );
    });
    expect(lines[0]).toMatch(/^train loss:/);
    expect(lines[1]).toBe(epochs[0]);
    const final = lines.indexOf('=============== Final Test Accuracy ===============');
    expect(final).toBe(8);
    expect(lines[final + 1]).toMatch(/^test acc:[01]\.\d+$/);
    expect(lines[final + 2]).toBe('Saved Network Parameters!');
    expect(existsSync(model)).toBe(true);
    expectFigures(files, ['train_convnet.png']);
  }, 60_000);

  it('visualize-filter draws the filters before and after training (the model train-convnet saved)', async () => {
    const { model } = await trainConvnet();
    const { lines, files } = await runScript('ch07/visualize-filter', { weights: model });
    expect(lines).toEqual([
      'before training: random filters 30×1×5×5 (std 0.01)',
      `after training: ${model}, filters 30×1×5×5`,
    ]);
    expectFigures(files, ['filters_before.png', 'filters_after.png']);
  });

  it('visualize-filter runs as the READMEs write it in a fresh clone: the random filters, and how to get the trained ones', async () => {
    // A working directory with neither params.pkl nor ch07/train-convnet's model file in it.
    const fresh = mkdtempSync(join(tmpdir(), 'scratchnet-fresh-clone-'));
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(fresh);
    try {
      const { lines, files } = await runScript('ch07/visualize-filter');
      expect(lines).toEqual([
        'before training: random filters 30×1×5×5 (std 0.01)',
        `after training: ${NO_TRAINED_CONVNET}`,
      ]);
      expect(lines[1]).toMatch(/params\.pkl.*ch07\/train-convnet first.*--weights FILE/);
      expectFigures(files, ['filters_before.png']);
    } finally {
      cwd.mockRestore();
    }
  });

  it('visualize-filter with a --weights file that does not exist says where to get one', async () => {
    await expect(
      runScript('ch07/visualize-filter', { weights: join(repoRoot, 'no-such-params.pkl') }),
    ).rejects.toThrow(/no-such-params\.pkl: no such file.*ch07\/params\.pkl.*--weights/);
  });

  it('apply-filter applies the trained filters to the test pattern (the model train-convnet saved)', async () => {
    const { model } = await trainConvnet();
    const { lines, files } = await runScript('ch07/apply-filter', { weights: model });
    expect(lines).toEqual([
      `filters: the first 16 of ${model} (30×1×5×5)`,
      "image: a 128×128 test pattern drawn in code (the book's lena_gray.png is not shipped)",
      'responses: 16 of 124×124 (no padding, stride 1)',
    ]);
    expectFigures(files, [
      'apply_filter_filters.png',
      'apply_filter_image.png',
      'apply_filter.png',
    ]);
  });

  it('apply-filter without --weights uses a trained network it finds, or says it uses handmade filters', async () => {
    const { lines, files } = await runScript('ch07/apply-filter');
    expect(lines[0]).toMatch(
      /^filters: (16 handmade 5×5 .*--weights FILE gives one\)|the first 16 of )/,
    );
    expectFigures(files, [
      'apply_filter_filters.png',
      'apply_filter_image.png',
      'apply_filter.png',
    ]);
  });

  describe.skipIf(!haveBookParams)(
    `with the book’s SimpleConvNet parameters ${haveBookParams ? '' : `(${skipReason})`}`,
    () => {
      it('visualize-filter and apply-filter draw the book’s trained filters', async () => {
        const visualized = await runScript('ch07/visualize-filter', { weights: bookParams });
        expect(visualized.lines[1]).toBe(`after training: ${bookParams}, filters 30×1×5×5`);
        expectFigures(visualized.files, ['filters_before.png', 'filters_after.png']);
        const applied = await runScript('ch07/apply-filter', { weights: bookParams });
        expect(applied.lines[0]).toBe(`filters: the first 16 of ${bookParams} (30×1×5×5)`);
      });
    },
  );

  it.runIf(!haveBookParams)(skipReason, () => {
    console.warn(skipReason);
  });
});

it('tests every ch07 script', () => {
  expect(scriptNames(ch07)).toEqual([
    'simple-convnet',
    'gradient-check',
    'train-convnet',
    'visualize-filter',
    'apply-filter',
  ]);
});
