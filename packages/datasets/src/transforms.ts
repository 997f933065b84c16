import { getBackend, oneHot, Tensor } from '@scratchnet/tensor';

/**
 * The book's `load_mnist` flags, shared by `loadMnist`, `ArrayDataset` and the data loaders.
 * `loadMnist` and `loadFashionMnist` default to the book's (normalize and flatten on, one-hot
 * off); an `ArrayDataset` applies none unless asked: it gives samples as they are, in their
 * `sampleShape`.
 */
export interface DatasetTransforms {
  /** Divide the features by 255, so that pixels lie in [0, 1]. */
  normalize?: boolean;
  /** Give each sample as one row ([N, 784]) instead of its own shape ([N, 1, 28, 28]). */
  flatten?: boolean;
  /** Give labels as one-hot rows [N, classes] instead of class indices [N]. */
  oneHotLabel?: boolean;
}

/** The book's `load_mnist(normalize=True, flatten=True, one_hot_label=False)`: `loadMnist`'s. */
export const BOOK_TRANSFORMS: ResolvedTransforms = Object.freeze({
  normalize: true,
  flatten: true,
  oneHotLabel: false,
});

/** No transform: samples as they are (an `ArrayDataset`'s defaults). */
export const NO_TRANSFORMS: ResolvedTransforms = Object.freeze({
  normalize: false,
  flatten: false,
  oneHotLabel: false,
});

/** `DatasetTransforms` with every flag decided. */
export type ResolvedTransforms = Required<DatasetTransforms>;

/**
 * Fills in the flags a caller left out from `defaults`: the book's `load_mnist` flags unless
 * given others (`NO_TRANSFORMS` for an `ArrayDataset`).
 *
 * @example
 * resolveTransforms({ flatten: false }); // { normalize: true, flatten: false, oneHotLabel: false }
 * resolveTransforms({}, NO_TRANSFORMS); // every flag false
 */
export function resolveTransforms(
  transforms: DatasetTransforms = {},
  defaults: ResolvedTransforms = BOOK_TRANSFORMS,
): ResolvedTransforms {
  return {
    normalize: transforms.normalize ?? defaults.normalize,
    flatten: transforms.flatten ?? defaults.flatten,
    oneHotLabel: transforms.oneHotLabel ?? defaults.oneHotLabel,
  };
}

/**
 * Pixel intensities 0..255 as float32 in [0, 1] (the book's `x / 255.0`, bit-for-bit: a float32
 * division correctly rounded).
 *
 * @example
 * normalizePixels(Uint8Array.of(0, 51, 255)); // Float32Array [0, 0.2, 1]
 */
export function normalizePixels(pixels: ArrayLike<number>): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
  return out;
}

/**
 * Flattens every sample of a batch into one row: [N, ...] → [N, product(...)].
 *
 * @example
 * flattenSamples(zeros([2, 1, 28, 28])).shape; // [2, 784]
 */
export function flattenSamples(batch: Tensor): Tensor {
  if (batch.rank === 0) throw new RangeError('flattenSamples: a batch needs a leading axis');
  return batch.rank === 2 ? batch : batch.flatten(1);
}

/**
 * Class indices as one-hot rows, as the book's `_change_one_hot_label`.
 *
 * @example
 * oneHotLabels(Uint8Array.of(2, 0), 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHotLabels(labels: ArrayLike<number>, numClasses: number): Tensor {
  return oneHot(labels, numClasses);
}

/**
 * A tensor of `values` uploaded straight to the backend: `tensor()` would copy a typed array once
 * more first, which matters for the 188 MB of float32 MNIST pixels.
 */
export function tensorFromFloat32(values: Float32Array, shape: readonly number[]): Tensor {
  const backend = getBackend();
  return new Tensor(backend.upload(values), shape, backend);
}
