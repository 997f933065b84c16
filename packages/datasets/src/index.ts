/**
 * Datasets for the book's networks, browser-safe: the IDX format MNIST uses ({@link decodeIdx},
 * {@link encodeIdx}, {@link fetchIdx}), {@link ArrayDataset} and {@link DataLoader} with the book's
 * `load_mnist` flags, splits, transforms and augmentation. The file system readers
 * (`loadMnist`, `loadFashionMnist`) are in `@scratchnet/datasets/node`.
 *
 * @module @scratchnet/datasets
 */
export type { AffineTransform, AugmentedDatasetOptions, AugmentOptions } from './augment.js';
export { AugmentedDataset, augmentImages, transformImages } from './augment.js';
export type { DataLoaderOptions, DataLoaderState } from './data-loader.js';
export { DataLoader } from './data-loader.js';
export type {
  ArrayDatasetInit,
  Batch,
  BatchSource,
  FeatureArray,
  HostBatch,
  LabelArray,
} from './dataset.js';
export { ArrayDataset } from './dataset.js';
export type { DecodedImage } from './digit-image.js';
export {
  ImageInputError,
  MNIST_DIGIT_BOX,
  MNIST_SIDE,
  mnistPixelsFromImage,
} from './digit-image.js';
export type { FetchIdxOptions } from './fetch-idx.js';
export { fetchIdx } from './fetch-idx.js';
export type {
  DecodeIdxOptions,
  EncodeIdxOptions,
  IdxArray,
  IdxDataType,
  IdxTypedArrays,
} from './idx.js';
export { decodeIdx, encodeIdx, IdxFormatError, isGzip } from './idx.js';
export type {
  ImageClassificationData,
  ImageSplitSpec,
  MnistFiles,
} from './image-split.js';
export {
  checkImageSplit,
  decodeMnist,
  FASHION_MNIST_CLASSES,
  ImageSplit,
  mnistSpecs,
} from './image-split.js';
export type { SplitOptions, Subsettable, TrainValidationSplitOptions } from './split.js';
export { randomSplit, trainValidationSplit } from './split.js';
export type { DatasetTransforms, ResolvedTransforms } from './transforms.js';
export {
  BOOK_TRANSFORMS,
  flattenSamples,
  NO_TRANSFORMS,
  normalizePixels,
  oneHotLabels,
  resolveTransforms,
  tensorFromFloat32,
} from './transforms.js';
