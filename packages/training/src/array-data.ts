import {
  ArrayDataset,
  type Batch,
  type BatchSource,
  type FeatureArray,
} from '@scratchnet/datasets';
import { formatShape, ShapeError, type Tensor } from '@scratchnet/tensor';

/**
 * Training data held in tensors or arrays, as Keras' `model.fit(x, y)`: `x` the samples (a tensor
 * [N, ...sample shape], or a typed array of N × the sample's size values), `y` their classes
 * (class indices [N], as a tensor, a typed array or numbers, or one-hot rows [N, classes]).
 */
export interface ArrayData {
  /** The samples: [N, ...sample shape], or N × sample size values in a typed array. */
  x: Tensor | FeatureArray;
  /** The class of each sample: indices [N], or one-hot rows [N, classes] in a tensor. */
  y: Tensor | ArrayLike<number>;
  /** The shape of one sample, for a typed-array `x` (default: the model's `inputShape`). */
  sampleShape?: readonly number[];
}

const isTensor = (value: unknown): value is Tensor =>
  typeof (value as Tensor | undefined)?.dataSync === 'function' && 'shape' in (value as object);

/** Whether `data` is `{ x, y }` rather than a dataset (anything with `batch` and `length`). */
export function isArrayData(data: BatchSource<Batch> | ArrayData): data is ArrayData {
  return typeof (data as BatchSource<Batch>).batch !== 'function' && 'x' in data && 'y' in data;
}

/** Class indices from labels or one-hot rows. */
function classIndices(y: Tensor | ArrayLike<number>, n: number): Int32Array {
  if (!isTensor(y)) return Int32Array.from(y);
  if (y.rank === 1) return Int32Array.from(y.dataSync());
  if (y.rank === 2 && y.shape[0] === n) {
    const rows = y.dataSync();
    const classes = y.shape[1]!;
    return Int32Array.from({ length: n }, (_, i) => {
      const row = rows.subarray(i * classes, (i + 1) * classes);
      return row.indexOf(Math.max(...row));
    });
  }
  throw new ShapeError(
    `fit: y ${formatShape(y.shape)} is neither class indices [${n}] nor one-hot rows [${n}, classes]`,
  );
}

/**
 * `{ x, y }` as a dataset (an `ArrayDataset` over the values, as given: no transform). The
 * values are copied from a tensor once.
 */
export function datasetOf(data: ArrayData, modelInputShape?: readonly number[]): ArrayDataset {
  const { x, y } = data;
  const sampleShape = isTensor(x) ? x.shape.slice(1) : (data.sampleShape ?? modelInputShape);
  if (!sampleShape || sampleShape.length === 0) {
    throw new ShapeError(
      'fit: x is a typed array, so give sampleShape (the shape of one sample), or train a model with an inputShape',
    );
  }
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  const features = isTensor(x) ? x.dataSync() : x;
  const n = features.length / sampleSize;
  if (!Number.isInteger(n)) {
    throw new ShapeError(
      `fit: x holds ${features.length} values, not a whole number of samples of shape ${formatShape(sampleShape)}`,
    );
  }
  const labels = classIndices(y, n);
  if (labels.length !== n) {
    throw new ShapeError(`fit: ${labels.length} labels in y for ${n} samples in x`);
  }
  return new ArrayDataset({ features, labels, sampleShape, name: 'fit data' });
}
