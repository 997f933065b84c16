import { type ArrayDataset, FASHION_MNIST_CLASSES } from '@scratchnet/datasets';
import { loadFashionMnist, loadMnist } from '@scratchnet/datasets/node';
import type { DatasetName } from './choices.js';

export interface TrainingData {
  train: ArrayDataset;
  test: ArrayDataset;
  classNames: readonly string[];
}

export interface DataOptions {
  dataset: DatasetName;
  dataDir?: string;
  /** Use only the first N training images (quick runs and CI). */
  trainLimit?: number;
  /** Use only the first N test images. */
  testLimit?: number;
}

function firstN(dataset: ArrayDataset, limit: number | undefined): ArrayDataset {
  if (limit === undefined || limit >= dataset.length) return dataset;
  return dataset.subset(Array.from({ length: limit }, (_, i) => i));
}

/**
 * The train and test splits as images [N, 1, 28, 28] scaled to [0, 1] — the book's
 * `load_mnist(normalize=True, flatten=False)`; the MLP flattens them itself.
 */
export function loadTrainingData({
  dataset,
  dataDir,
  trainLimit,
  testLimit,
}: DataOptions): TrainingData {
  const transforms = { normalize: true, flatten: false, oneHotLabel: false };
  const data =
    dataset === 'mnist'
      ? loadMnist({ ...transforms, ...(dataDir ? { dataDir } : {}) })
      : loadFashionMnist({ ...transforms, ...(dataDir ? { dataDir } : {}) });
  return {
    train: firstN(data.train.dataset, trainLimit),
    test: firstN(data.test.dataset, testLimit),
    classNames:
      dataset === 'mnist' ? Array.from({ length: 10 }, (_, i) => String(i)) : FASHION_MNIST_CLASSES,
  };
}
