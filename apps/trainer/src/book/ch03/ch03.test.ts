import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectFigures, runScript, scriptNames } from '../testing.js';
import { ch03 } from './index.js';

// The book's own saved parameters live beside the repository (../shared/book-params), never in it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const sampleWeight = resolve(repoRoot, '../shared/book-params/sample_weight.pkl');
const haveSampleWeight = existsSync(sampleWeight);
const skipReason = `skipped: ${sampleWeight} is absent (the book's parameter files are not in the repository)`;

describe('scratchnet book: ch03 activation functions', () => {
  const figures: Record<string, string> = {
    'ch03/step-function': 'step_function.png',
    'ch03/sigmoid': 'sigmoid.png',
    'ch03/sig-step-compare': 'sig_step_compare.png',
    'ch03/relu': 'relu.png',
  };
  for (const [id, file] of Object.entries(figures)) {
    it(`${id} draws its graph and prints nothing, as the book's script`, async () => {
      const { lines, files } = await runScript(id);
      expect(lines).toEqual([]);
      expectFigures(files, [file]);
    });
  }
});

describe('scratchnet book: ch03 MNIST', () => {
  it('mnist-show prints the first label and the shapes, and writes the digit', async () => {
    const { lines, files } = await runScript('ch03/mnist-show');
    expect(lines).toEqual(['5', '(784,)', '(28, 28)']);
    expectFigures(files, ['mnist_show.png']);
  });

  it('neuralnet-mnist without the book’s weights says where to get them', async () => {
    await expect(
      runScript('ch03/neuralnet-mnist', { weights: join(repoRoot, 'no-such-sample_weight.pkl') }),
    ).rejects.toThrow(
      /no-such-sample_weight\.pkl: no such file.*ch03\/sample_weight\.pkl.*--weights/,
    );
  });

  describe.skipIf(!haveSampleWeight)(
    `with the book’s sample_weight.pkl ${haveSampleWeight ? '' : `(${skipReason})`}`,
    () => {
      // The book's 93.52% is over all 10,000 images; --quick scores the first 1,000, where the
      // book's own code (numpy) gets 932 right.
      for (const id of ['ch03/neuralnet-mnist', 'ch03/neuralnet-mnist-batch']) {
        it(`${id} prints the book’s accuracy on the first 1,000 test images`, async () => {
          const { lines, files } = await runScript(id, { weights: sampleWeight });
          expect(lines).toEqual(['Accuracy:0.932']);
          expect(files).toEqual([]);
        });
      }
    },
  );
  it.runIf(!haveSampleWeight)(skipReason, () => {
    console.warn(skipReason);
  });
});

it('tests every ch03 script', () => {
  expect(scriptNames(ch03)).toEqual([
    'step-function',
    'sigmoid',
    'sig-step-compare',
    'relu',
    'mnist-show',
    'neuralnet-mnist',
    'neuralnet-mnist-batch',
  ]);
});
