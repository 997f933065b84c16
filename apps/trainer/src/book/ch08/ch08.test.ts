import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasmBackend, type WasmBackend } from '@scratchnet/backend-wasm';
import { setBackend } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFigures, numbersIn, runScript, scriptNames } from '../testing.js';
import { ch08 } from './index.js';

// The book's own saved parameters live beside the repository (../shared/book-params), never in it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const bookParams = resolve(repoRoot, '../shared/book-params/deep_convnet_params_2016.pkl');
const haveBookParams = existsSync(bookParams);
const skipReason = `skipped: ${bookParams} is absent (the book's parameter files are not in the repository)`;

// On the wasm backend (one thread): DeepConvNet takes ~2 s per 100 images on the reference
// backend, 0.2 s here. Accuracies are counts of images, the same on both.
let backend: WasmBackend;
beforeAll(async () => {
  backend = await initWasmBackend({ threads: 1 });
});
afterAll(async () => {
  setBackend('cpu');
  await backend.close();
});

/** A `{1: (6, 0), 2: (3, 5)}` dict as [label, inference] pairs, checking its view indices. */
function misPairs(line: string): [number, number][] {
  expect(line).toMatch(/^\{(\d+: \(\d, \d\))?(, \d+: \(\d, \d\))*\}$/);
  const numbers = numbersIn(line);
  const pairs: [number, number][] = [];
  for (let i = 0; i < numbers.length; i += 3) {
    expect(numbers[i]).toBe(pairs.length + 1);
    pairs.push([numbers[i + 1]!, numbers[i + 2]!]);
  }
  return pairs;
}

describe('scratchnet book: ch08 deep learning', () => {
  it('deep-convnet prints the book’s parameter shapes and the layers', async () => {
    const { lines } = await runScript('ch08/deep-convnet');
    expect(lines[3]).toBe('affine - relu - dropout - affine - dropout - softmax');
    const shapes = lines.filter((line) => /^[Wb]\d /.test(line)).map((l) => l.split('  ')[0]!);
    expect(shapes.filter((s) => s.startsWith('W')).map((s) => s.trim())).toEqual([
      'W1 (16, 1, 3, 3)',
      'W2 (16, 16, 3, 3)',
      'W3 (32, 16, 3, 3)',
      'W4 (32, 32, 3, 3)',
      'W5 (64, 32, 3, 3)',
      'W6 (64, 64, 3, 3)',
      'W7 (1024, 50)',
      'W8 (50, 10)',
    ]);
    expect(shapes).toHaveLength(16);
    expect(lines).toContain('conv4 (Conv2d)      [1, 32, 16, 16]    9,248');
    expect(lines.at(-1)).toBe('Total params: 123,552');
  });

  it('awesome-net prints the book’s placeholder', async () => {
    const { lines, files } = await runScript('ch08/awesome-net');
    expect(lines[0]).toBe('# Create your awesome net!!');
    expect(lines.join(' ')).toMatch(/empty placeholder/);
    expectFigures(files, []);
  });

  let trainedModel: string | undefined;
  it('train-deepnet prints the book’s Trainer lines and saves the model', async () => {
    const { lines, files } = await runScript('ch08/train-deepnet');
    // --quick: 200 images in batches of 100, 1 epoch: 2 steps, an evaluation after step 1.
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^train loss:\d+\.\d+$/);
    expect(lines[1]).toMatch(/^=== epoch:1, train acc:[01]\.\d+, test acc:[01]\.\d+ ===$/);
    expect(lines[2]).toMatch(/^train loss:\d+\.\d+$/);
    expect(lines[3]).toBe('=============== Final Test Accuracy ===============');
    expect(lines[4]).toMatch(/^test acc:[01]\.\d+$/);
    expect(lines[5]).toBe('Saved Network Parameters!');
    trainedModel = lines[6]!.match(/^\((.+\.safetensors): /)?.[1];
    expect(trainedModel && existsSync(trainedModel)).toBe(true);
    expectFigures(files, []); // the book's script draws nothing
  });

  it('half-float-network runs on a model file too (the one train-deepnet saved)', async () => {
    expect(trainedModel).toBeDefined();
    const { lines } = await runScript('ch08/half-float-network', { weights: trainedModel });
    expect(lines.slice(1, 5).map((line) => line.replace(/[\d.]+$/, 'N'))).toEqual([
      'caluculate accuracy (float32) ... ',
      'N',
      'caluculate accuracy (float16) ... ',
      'N',
    ]);
  });

  it('misclassified-mnist and half-float-network without the book’s pickle say where to get it', async () => {
    for (const id of ['ch08/misclassified-mnist', 'ch08/half-float-network']) {
      await expect(
        runScript(id, { weights: join(repoRoot, 'no-such-deep_convnet_params.pkl') }),
      ).rejects.toThrow(
        /no-such-deep_convnet_params\.pkl: no such file.*ch08\/deep_convnet_params\.pkl from https:\/\/github\.com\/oreilly-japan\/deep-learning-from-scratch.*--weights/,
      );
    }
  });

  describe.skipIf(!haveBookParams)(
    `with the book’s deep_convnet_params.pkl (2016) ${haveBookParams ? '' : `(${skipReason})`}`,
    () => {
      it('misclassified-mnist: 99.3% of the first 1,000 test images, the misclassified drawn', async () => {
        const { lines, files } = await runScript('ch08/misclassified-mnist', {
          weights: bookParams,
        });
        expect(lines.slice(0, 5)).toEqual([
          `(parameters: ${bookParams})`,
          'calculating test accuracy ... ',
          // deep_convnet_params_2016.pkl's 0.9935 is over all 10,000 images (the 2022 re-save:
          // 0.9797); 7 of the first 1,000 are wrong.
          'test accuracy:0.993',
          '======= misclassified result =======',
          '{view index: (label, inference), ...}',
        ]);
        const pairs = misPairs(lines[5]!);
        expect(pairs).toHaveLength(7);
        // The book's figure 8-2 starts with a 6 read as 0 and two 3s read as 5.
        expect(pairs.slice(0, 3)).toEqual([
          [6, 0],
          [3, 5],
          [3, 5],
        ]);
        for (const [label, inference] of pairs) expect(label).not.toBe(inference);
        expectFigures(files, ['misclassified_mnist.png']);
      });

      it('half-float-network: the same accuracy in float32 and with float16 parameters', async () => {
        const { lines, files } = await runScript('ch08/half-float-network', {
          weights: bookParams,
        });
        expect(lines.slice(0, 5)).toEqual([
          `(parameters: ${bookParams})`,
          'caluculate accuracy (float32) ... ',
          '1.0', // the first 100; deep_convnet_params_2016.pkl's 0.9935 is over all 10,000
          'caluculate accuracy (float16) ... ',
          '1.0',
        ]);
        expect(lines[5]).toMatch(/248,520 bytes in F16, 495,632 in F32/);
        expectFigures(files, []);
      });
    },
  );

  it.runIf(!haveBookParams)(skipReason, () => {
    console.warn(skipReason);
  });
});

describe('the accuracy of the book’s DeepConvNet parameters, wherever it is quoted', () => {
  /** The text files of apps/ (sources and READMEs), docs/ and the READMEs, relative to the root. */
  function quotedIn(): string[] {
    const apps = readdirSync(join(repoRoot, 'apps'), { recursive: true, encoding: 'utf8' })
      .filter((f) => !/(^|\/)(node_modules|dist|\.turbo)\//.test(f))
      .filter((f) => /\.(ts|tsx|md)$/.test(f))
      .map((f) => `apps/${f}`);
    const docs = readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    const readmes = readdirSync(repoRoot).filter((f) => /^README.*\.md$/.test(f));
    return [...apps, ...docs, ...readmes];
  }

  it('names the file: deep_convnet_params_2016.pkl for 99.35%, and gives the 2022 re-save’s 97.97%', () => {
    const files = quotedIn();
    expect(files).toContain('apps/trainer/src/book/ch08/misclassified-mnist.ts');
    const unnamed: string[] = [];
    const quoting: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/0\.9935|99\.35\s*%/.test(line)) return;
        quoting.push(file);
        // The file's name on the line or the two either side (a sentence in a comment).
        const near = lines.slice(Math.max(0, i - 2), i + 3).join('\n');
        if (!near.includes('deep_convnet_params_2016.pkl')) unnamed.push(`${file}:${i + 1}`);
      });
    }
    expect(unnamed).toEqual([]);
    expect(quoting.length).toBeGreaterThanOrEqual(5);
    const without2022 = [...new Set(quoting)].filter(
      (file) => !/0\.9797|97\.97\s*%/.test(readFileSync(join(repoRoot, file), 'utf8')),
    );
    expect(without2022).toEqual([]);
  });
});

it('half-float-network’s header says what the book’s half_float_network.py does', () => {
  const source = readFileSync(
    join(repoRoot, 'apps/trainer/src/book/ch08/half-float-network.ts'),
    'utf8',
  );
  const header = source.slice(0, source.indexOf('*/')).replace(/\s*\n\s*\*\s*/g, ' ');
  // The book's script prints both accuracies, float64 then float16, over sampled = 10000 images.
  expect(header).toContain('"caluculate accuracy (float64) ... "');
  expect(header).toContain('"caluculate accuracy (float16) ... "');
  expect(header).toContain('`sampled = 10000`');
  expect(header).toContain('`param[...] = param.astype(np.float16)`');
  expect(header).not.toMatch(/commented out|\bbrief\b/);
});

it('tests every ch08 script', () => {
  expect(scriptNames(ch08)).toEqual([
    'deep-convnet',
    'train-deepnet',
    'misclassified-mnist',
    'awesome-net',
    'half-float-network',
  ]);
});
