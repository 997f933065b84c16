import type { Tensor } from '@scratchnet/tensor';
import { ArrayDataset, type Batch } from './dataset.js';
import { decodeIdx, type IdxArray, IdxFormatError } from './idx.js';
import { type DatasetTransforms, resolveTransforms } from './transforms.js';

/** What an MNIST-like split must hold; files that differ are reported as damaged. */
export interface ImageSplitSpec {
  /** Names the split in messages, e.g. 'MNIST train'. */
  name: string;
  /** The number of images (and labels) the files must hold. */
  count: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
  /** The number of classes: every label must be below it. */
  numClasses: number;
}

/**
 * One split (train or test) of an MNIST-like dataset: the raw bytes as stored, and tensors in the
 * shape the book's `load_mnist` flags ask for, built on first use.
 */
export class ImageSplit {
  /** Pixels 0..255, [count, rows, cols] row-major. Shared between loads: do not modify. */
  readonly rawImages: Uint8Array;
  /** Class indices, one per image. Shared between loads: do not modify. */
  readonly rawLabels: Uint8Array;
  /** The number of images. */
  readonly count: number;
  /** The shape of one image with its channel axis, e.g. [1, 28, 28]. */
  readonly imageShape: readonly [number, number, number];
  /** The same samples for a `DataLoader`, with the same transforms. */
  readonly dataset: ArrayDataset;
  private full: Batch | null = null;

  constructor(
    rawImages: Uint8Array,
    rawLabels: Uint8Array,
    spec: ImageSplitSpec,
    transforms?: DatasetTransforms,
  ) {
    this.rawImages = rawImages;
    this.rawLabels = rawLabels;
    this.count = rawLabels.length;
    this.imageShape = [1, spec.rows, spec.cols];
    this.dataset = new ArrayDataset({
      features: rawImages,
      labels: rawLabels,
      sampleShape: this.imageShape,
      numClasses: spec.numClasses,
      transforms: resolveTransforms(transforms),
      name: spec.name,
    });
  }

  /** Every image: [N, rows·cols] when flattened, else [N, 1, rows, cols]; /255 when normalized. */
  get images(): Tensor {
    return this.materialize().x;
  }

  /** Every label: class indices [N], or one-hot [N, classes] with `oneHotLabel`. */
  get labels(): Tensor {
    return this.materialize().y;
  }

  private materialize(): Batch {
    this.full ??= this.dataset.all();
    return this.full;
  }
}

/** Both splits of an MNIST-like dataset, as the book's `(x_train, t_train), (x_test, t_test)`. */
export interface ImageClassificationData {
  /** The training split (the book's `x_train`, `t_train`). */
  train: ImageSplit;
  /** The test split (the book's `x_test`, `t_test`). */
  test: ImageSplit;
}

/** Checks a decoded images/labels pair against the spec; errors name the offending file. */
export function checkImageSplit(
  images: IdxArray,
  labels: IdxArray,
  spec: ImageSplitSpec,
  sources: { images: string; labels: string },
): {
  /** The pixels, [count, rows, cols] row-major. */
  images: Uint8Array;
  /** The class indices. */
  labels: Uint8Array;
} {
  const want = `[${spec.count}, ${spec.rows}, ${spec.cols}]`;
  const [count, rows, cols] = images.shape;
  if (
    images.dataType !== 'uint8' ||
    images.shape.length !== 3 ||
    count !== spec.count ||
    rows !== spec.rows ||
    cols !== spec.cols
  ) {
    throw new IdxFormatError(
      sources.images,
      `${spec.name} images should be uint8 ${want}, found ${images.dataType} [${images.shape.join(', ')}]; the file is damaged or not ${spec.name} images`,
    );
  }
  if (labels.dataType !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== spec.count) {
    throw new IdxFormatError(
      sources.labels,
      `${spec.name} labels should be uint8 [${spec.count}], found ${labels.dataType} [${labels.shape.join(', ')}]; the file is damaged or not ${spec.name} labels`,
    );
  }
  const labelData = labels.data as Uint8Array;
  const bad = labelData.findIndex((label) => label >= spec.numClasses);
  if (bad >= 0) {
    throw new IdxFormatError(
      sources.labels,
      `label ${labelData[bad]} at index ${bad} is not a class in [0, ${spec.numClasses})`,
    );
  }
  return { images: images.data as Uint8Array, labels: labelData };
}

/** MNIST and Fashion-MNIST share the layout: 60,000 training and 10,000 test images of 28×28. */
export function mnistSpecs(name: string): {
  /** 60,000 images. */
  train: ImageSplitSpec;
  /** 10,000 images. */
  test: ImageSplitSpec;
} {
  return {
    train: { name: `${name} train`, count: 60_000, rows: 28, cols: 28, numClasses: 10 },
    test: { name: `${name} test`, count: 10_000, rows: 28, cols: 28, numClasses: 10 },
  };
}

/** The four files of an MNIST-like dataset, as bytes (plain or gzipped). */
export interface MnistFiles {
  /** `train-images-idx3-ubyte`. */
  trainImages: Uint8Array;
  /** `train-labels-idx1-ubyte`. */
  trainLabels: Uint8Array;
  /** `t10k-images-idx3-ubyte`. */
  testImages: Uint8Array;
  /** `t10k-labels-idx1-ubyte`. */
  testLabels: Uint8Array;
}

/**
 * Builds MNIST (or Fashion-MNIST) from the bytes of its four IDX files, for browsers that
 * fetched them; in Node, `loadMnist` from `@scratchnet/datasets/node` reads them for you.
 *
 * @example
 * const get = async (name: string) =>
 *   new Uint8Array(await (await fetch(`/mnist/${name}.gz`)).arrayBuffer());
 * const mnist = decodeMnist({
 *   trainImages: await get('train-images-idx3-ubyte'),
 *   trainLabels: await get('train-labels-idx1-ubyte'),
 *   testImages: await get('t10k-images-idx3-ubyte'),
 *   testLabels: await get('t10k-labels-idx1-ubyte'),
 * });
 * mnist.test.images.shape; // [10000, 784]
 */
export function decodeMnist(
  files: MnistFiles,
  options: DatasetTransforms & { name?: string } = {},
): ImageClassificationData {
  const name = options.name ?? 'MNIST';
  const specs = mnistSpecs(name);
  const split = (which: 'train' | 'test', imagesBytes: Uint8Array, labelsBytes: Uint8Array) => {
    const prefix = which === 'train' ? 'train' : 't10k';
    const sources = {
      images: `${name} ${prefix}-images-idx3-ubyte`,
      labels: `${name} ${prefix}-labels-idx1-ubyte`,
    };
    const checked = checkImageSplit(
      decodeIdx(imagesBytes, { source: sources.images }),
      decodeIdx(labelsBytes, { source: sources.labels }),
      specs[which],
      sources,
    );
    return new ImageSplit(checked.images, checked.labels, specs[which], options);
  };
  return {
    train: split('train', files.trainImages, files.trainLabels),
    test: split('test', files.testImages, files.testLabels),
  };
}

/** Fashion-MNIST's ten classes, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
