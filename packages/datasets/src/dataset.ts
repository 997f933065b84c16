import type { Tensor } from '@scratchnet/tensor';
import {
  type DatasetTransforms,
  NO_TRANSFORMS,
  type ResolvedTransforms,
  resolveTransforms,
  tensorFromFloat32,
} from './transforms.js';

/** Typed arrays that can hold a dataset's features (pixels are usually `Uint8Array`). */
export type FeatureArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** Typed arrays that can hold class indices. */
export type LabelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

/** One batch: inputs, targets, and the plain class indices (handy for accuracy). */
export interface Batch {
  /** Inputs [B, ...sample shape] (flattened: [B, features]), float32. */
  x: Tensor;
  /** Targets: class indices [B] or one-hot rows [B, classes], as the dataset's transforms say. */
  y: Tensor;
  /** The class index of each sample. */
  labels: Int32Array;
  /** The dataset indices the batch was drawn from, in batch order. */
  indices: Int32Array;
}

/** A batch in host memory before its upload; see `ArrayDataset.hostBatch`. */
export interface HostBatch {
  /** Inputs, flat and row-major, float32. */
  x: Float32Array;
  /** The shape of `x`: [B, ...sample shape]. */
  shape: number[];
  /** The class index of each sample. */
  labels: Int32Array;
  /** The dataset indices the batch was drawn from, in batch order. */
  indices: Int32Array;
}

/** Anything a `DataLoader` can batch: a length and a way to gather samples by index. */
export interface BatchSource<TBatch = Batch> {
  /** The number of samples. */
  readonly length: number;
  /** The samples at `indices`, in that order, as one batch. */
  batch(indices: ArrayLike<number>): TBatch;
}

/** What an `ArrayDataset` is made from. */
export interface ArrayDatasetInit {
  /** Every sample's features, flat and row-major: `length × product(sampleShape)` values. */
  features: FeatureArray;
  /** One class index per sample. */
  labels: LabelArray;
  /** The shape of one sample before flattening, e.g. [1, 28, 28]. */
  sampleShape: readonly number[];
  /** The number of classes; default the largest label + 1. */
  numClasses?: number;
  /**
   * normalize / flatten / one-hot, as the book's `load_mnist` (see `DatasetTransforms`); none by
   * default: samples come as they are, in `sampleShape`.
   */
  transforms?: DatasetTransforms;
  /** Names the dataset in error messages. */
  name?: string;
}

/**
 * (sample, label) pairs held in typed arrays, batched as float32 in their `sampleShape`, with the
 * book's transforms applied per batch where asked: the raw arrays (e.g. 47 MB of MNIST pixels)
 * stay as they are and only the requested rows become float32. Float features are checked: a NaN
 * or infinite value is an error naming the sample. `subset` and `withTransforms` return views that
 * share the arrays.
 *
 * @example
 * const dataset = new ArrayDataset({
 *   features: Float32Array.of(0.5, 1, -1, 0, 2, 3),
 *   labels: Uint8Array.of(1, 0, 1),
 *   sampleShape: [2],
 * });
 * dataset.batch([2, 0]).x.toArray(); // [[2, 3], [0.5, 1]]: as given
 *
 * // Pixels 0..255 divided by 255, as the book's load_mnist(normalize=True):
 * const pixels = new ArrayDataset({
 *   features: Uint8Array.of(0, 255, 255, 0, 51, 51),
 *   labels: Uint8Array.of(1, 0, 1),
 *   sampleShape: [2],
 *   transforms: { normalize: true },
 * });
 * pixels.batch([2, 0]).x.toArray(); // [[0.2, 0.2], [0, 1]]
 */
export class ArrayDataset implements BatchSource<Batch> {
  /** Every sample's raw features, flat and row-major (shared by subsets). */
  readonly features: FeatureArray;
  /** Every sample's class index (shared by subsets). */
  readonly labels: LabelArray;
  /** The raw shape of one sample, e.g. [1, 28, 28]. */
  readonly sampleShape: readonly number[];
  /** The number of classes. */
  readonly numClasses: number;
  /** The transforms applied to each batch, defaults filled in. */
  readonly transforms: ResolvedTransforms;
  /** Names the dataset in error messages. */
  readonly name: string;
  /** Positions in `features`/`labels` this dataset shows, or null for all of them in order. */
  readonly indices: Int32Array | null;
  private readonly sampleSize: number;
  /** Whether the features can hold NaN or ±∞ (float arrays), so batches are checked. */
  private readonly floatFeatures: boolean;

  constructor(init: ArrayDatasetInit, indices: Int32Array | null = null) {
    this.name = init.name ?? 'ArrayDataset';
    this.features = init.features;
    this.labels = init.labels;
    this.sampleShape = Object.freeze([...init.sampleShape]);
    this.transforms = resolveTransforms(init.transforms, NO_TRANSFORMS);
    this.sampleSize = this.sampleShape.reduce((a, b) => a * b, 1);
    this.floatFeatures =
      this.features instanceof Float32Array || this.features instanceof Float64Array;
    if (!this.sampleShape.every((size) => Number.isInteger(size) && size > 0)) {
      throw new RangeError(
        `${this.name}: sample shape [${this.sampleShape}] must be positive integers`,
      );
    }
    if (this.features.length !== this.labels.length * this.sampleSize) {
      throw new RangeError(
        `${this.name}: ${this.labels.length} labels need ${this.labels.length * this.sampleSize} feature values of shape [${this.sampleShape}], found ${this.features.length}`,
      );
    }
    let maxLabel = -1;
    for (let i = 0; i < this.labels.length; i++) {
      const label = this.labels[i]!;
      if (label < 0) throw new RangeError(`${this.name}: label ${label} at ${i} is negative`);
      if (label > maxLabel) maxLabel = label;
    }
    this.numClasses = init.numClasses ?? maxLabel + 1;
    if (maxLabel >= this.numClasses) {
      throw new RangeError(
        `${this.name}: label ${maxLabel} is not a class index in [0, ${this.numClasses})`,
      );
    }
    if (indices !== null) {
      for (let i = 0; i < indices.length; i++) this.checkSourceIndex(indices[i]!, i);
    }
    this.indices = indices;
  }

  /** The number of samples. */
  get length(): number {
    return this.indices === null ? this.labels.length : this.indices.length;
  }

  /** The shape of one sample as batches give it (after `flatten`). */
  get outputShape(): readonly number[] {
    return this.transforms.flatten ? [this.sampleSize] : this.sampleShape;
  }

  /** The position in the raw arrays of sample `index`. */
  sourceIndex(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`${this.name}: index ${index} is out of range [0, ${this.length})`);
    }
    return this.indices === null ? index : this.indices[index]!;
  }

  /** The class index of sample `index`. */
  labelAt(index: number): number {
    return this.labels[this.sourceIndex(index)]!;
  }

  /**
   * Gathers samples into one batch with the transforms applied.
   * @example dataset.batch([0, 1, 2]).x.shape // [3, 784] for flattened MNIST
   */
  batch(indices: ArrayLike<number>): Batch {
    return this.uploadBatch(this.hostBatch(indices));
  }

  /**
   * The samples at `indices` with the transforms applied, still in host memory: what a transform
   * such as augmentation works on before the one upload (`uploadBatch`).
   */
  hostBatch(indices: ArrayLike<number>): HostBatch {
    const count = indices.length;
    const size = this.sampleSize;
    const x = new Float32Array(count * size);
    const labels = new Int32Array(count);
    const picked = Int32Array.from(indices);
    const { normalize } = this.transforms;
    for (let row = 0; row < count; row++) {
      const source = this.sourceIndex(picked[row]!);
      const start = source * size;
      const sample = this.features.subarray(start, start + size);
      if (normalize) {
        for (let j = 0; j < size; j++) x[row * size + j] = sample[j]! / 255;
      } else {
        x.set(sample, row * size);
      }
      if (this.floatFeatures) this.checkFinite(x, row, picked[row]!);
      labels[row] = this.labels[source]!;
    }
    return { x, shape: [count, ...this.outputShape], labels, indices: picked };
  }

  /**
   * A NaN or infinite input would only show up later as a NaN loss, blamed on the learning rate:
   * refuse it here, naming the sample and the position (integer features cannot hold one).
   */
  private checkFinite(x: Float32Array, row: number, index: number): void {
    const size = this.sampleSize;
    for (let j = row * size; j < (row + 1) * size; j++) {
      if (Number.isFinite(x[j]!)) continue;
      const position = j - row * size;
      throw new RangeError(
        `${this.name}: sample ${index} holds ${x[j]} at position ${position} of its ${size} features (shape [${this.sampleShape}]): inputs must be finite numbers`,
      );
    }
  }

  /** A host batch (from `hostBatch`, possibly transformed) as tensors on the active backend. */
  uploadBatch(host: HostBatch): Batch {
    return {
      x: tensorFromFloat32(host.x, host.shape),
      y: this.targets(host.labels),
      labels: host.labels,
      indices: host.indices,
    };
  }

  /** Every sample as one batch, in order (the book's `x_train, t_train`). */
  all(): Batch {
    const order = new Int32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return this.batch(order);
  }

  /**
   * The samples at `indices` (positions in this dataset), as a view sharing the arrays.
   * @example dataset.subset([0, 1, 2]).length // 3
   */
  subset(indices: ArrayLike<number>): ArrayDataset {
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < mapped.length; i++) mapped[i] = this.sourceIndex(indices[i]!);
    return new ArrayDataset(this.init(), mapped);
  }

  /**
   * The same samples with other transforms (unset flags keep this dataset's values).
   * @example mnist.train.dataset.withTransforms({ flatten: false }).outputShape // [1, 28, 28]
   */
  withTransforms(transforms: DatasetTransforms): ArrayDataset {
    return new ArrayDataset(
      { ...this.init(), transforms: { ...this.transforms, ...transforms } },
      this.indices,
    );
  }

  private targets(labels: Int32Array): Tensor {
    if (!this.transforms.oneHotLabel) {
      return tensorFromFloat32(Float32Array.from(labels), [labels.length]);
    }
    const rows = new Float32Array(labels.length * this.numClasses);
    labels.forEach((label, row) => {
      rows[row * this.numClasses + label] = 1;
    });
    return tensorFromFloat32(rows, [labels.length, this.numClasses]);
  }

  private init(): ArrayDatasetInit {
    return {
      features: this.features,
      labels: this.labels,
      sampleShape: this.sampleShape,
      numClasses: this.numClasses,
      transforms: this.transforms,
      name: this.name,
    };
  }

  private checkSourceIndex(source: number, position: number): void {
    if (!Number.isInteger(source) || source < 0 || source >= this.labels.length) {
      throw new RangeError(
        `${this.name}: index ${source} at position ${position} is out of range [0, ${this.labels.length})`,
      );
    }
  }
}
