import { RandomGenerator, type RandomState } from '@scratchnet/tensor';
import type { ArrayDataset, Batch, BatchSource } from './dataset.js';
import { tensorFromFloat32 } from './transforms.js';

/**
 * Data augmentation (the book's chapter 8): every image moved by its own small random affine
 * transform — a shift, a rotation and a scale about the image centre — so the network sees a new
 * variant of each digit every epoch.
 *
 * Only `Math` functions and float64 arithmetic are used, so Node and Chromium (both V8, whose
 * `Math.sin`/`Math.cos` are the same fdlibm port everywhere) give the same bits for a seed.
 */

/** Ranges of the random transforms of `augmentImages` and `AugmentedDataset`. */
export interface AugmentOptions {
  /** The largest shift in pixels, along x and along y independently: ±maxShift. Default 2. */
  maxShift?: number;
  /** The largest rotation in degrees: ±maxRotation. Default 10. */
  maxRotation?: number;
  /** The scale lies in [1 − maxScale, 1 + maxScale]; below 1. Default 0.1. */
  maxScale?: number;
}

/**
 * One affine transform of an image about its centre: scale, then rotate, then shift. Image
 * coordinates: x is the column (to the right), y the row (down).
 */
export interface AffineTransform {
  /** Shift in pixels to the right (negative: left). Default 0. */
  dx?: number;
  /** Shift in pixels down (negative: up). Default 0. */
  dy?: number;
  /** Rotation in degrees, counter-clockwise as the image is viewed (as NumPy's `rot90`). Default 0. */
  rotation?: number;
  /** Scale factor: above 1 enlarges. Default 1. */
  scale?: number;
}

type Resolved = Required<AffineTransform>;

const DEFAULTS: Required<AugmentOptions> = { maxShift: 2, maxRotation: 10, maxScale: 0.1 };

function resolveAugmentOptions(caller: string, options: AugmentOptions): Required<AugmentOptions> {
  const resolved = { ...DEFAULTS };
  for (const field of ['maxShift', 'maxRotation', 'maxScale'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${caller}: options.${field} must be a finite number ≥ 0, got ${value}`);
    }
    resolved[field] = value;
  }
  if (resolved.maxScale >= 1) {
    throw new RangeError(
      `${caller}: options.maxScale must be below 1 (the scale 1 − maxScale must stay positive), got ${resolved.maxScale}`,
    );
  }
  return resolved;
}

function checkSize(caller: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${caller}: ${field} must be a non-negative integer, got ${value}`);
  }
}

function checkPixels(
  caller: string,
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
): void {
  checkSize(caller, 'count', count);
  checkSize(caller, 'height', height);
  checkSize(caller, 'width', width);
  if (pixels.length !== count * height * width) {
    throw new RangeError(
      `${caller}: pixels has ${pixels.length} values, but count × height × width = ${count} × ${height} × ${width} = ${count * height * width}`,
    );
  }
}

/** cos of 0°, 90°, 180° and 270°; sin θ = cos(θ − 90°). */
const QUARTER_COS = [1, 0, -1, 0] as const;

/** cos and sin of an angle in degrees; quarter turns exactly (Math.cos(π/2) is 6e-17, not 0). */
function cosSin(degrees: number): [number, number] {
  const quarters = degrees / 90;
  if (Number.isInteger(quarters)) {
    const turn = ((quarters % 4) + 4) % 4;
    return [QUARTER_COS[turn]!, QUARTER_COS[(turn + 3) % 4]!];
  }
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians)];
}

/** A pixel, or 0 (the background) outside the image. */
function pixelAt(
  src: Float32Array,
  plane: number,
  height: number,
  width: number,
  x: number,
  y: number,
): number {
  return x >= 0 && x < width && y >= 0 && y < height ? src[plane + y * width + x]! : 0;
}

/**
 * Bilinear sample at (sx, sy). A zero fraction skips its neighbours, so a whole-pixel position
 * gives the pixel itself bit for bit, and each step is a + f·(b − a), which never leaves
 * [min(a, b), max(a, b)]: inputs in [0, 1] give outputs in [0, 1].
 */
function sample(
  src: Float32Array,
  plane: number,
  height: number,
  width: number,
  sx: number,
  sy: number,
): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  if (x0 < -1 || x0 >= width || y0 < -1 || y0 >= height) return 0;
  const fx = sx - x0;
  const fy = sy - y0;
  let top = pixelAt(src, plane, height, width, x0, y0);
  if (fx !== 0) top += fx * (pixelAt(src, plane, height, width, x0 + 1, y0) - top);
  if (fy === 0) return top;
  let bottom = pixelAt(src, plane, height, width, x0, y0 + 1);
  if (fx !== 0) bottom += fx * (pixelAt(src, plane, height, width, x0 + 1, y0 + 1) - bottom);
  return top + fy * (bottom - top);
}

/**
 * Warps `count` samples of `channels` planes of height × width, sample i by `transformOf(i)`
 * (the same for all its channels). Each output pixel is sampled where the inverse transform puts
 * it in the input: p_in = c + R(−θ)·(p_out − c − shift) / scale, with c the image centre.
 */
function warp(
  pixels: Float32Array,
  count: number,
  channels: number,
  height: number,
  width: number,
  transformOf: (sample: number) => Resolved,
): Float32Array {
  const out = new Float32Array(pixels.length);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const planeSize = height * width;
  for (let i = 0; i < count; i++) {
    const { dx, dy, rotation, scale } = transformOf(i);
    const [cos, sin] = cosSin(rotation);
    for (let y = 0; y < height; y++) {
      const v = (y - cy - dy) / scale;
      for (let x = 0; x < width; x++) {
        const u = (x - cx - dx) / scale;
        const sx = cx + cos * u - sin * v;
        const sy = cy + sin * u + cos * v;
        for (let c = 0; c < channels; c++) {
          const plane = (i * channels + c) * planeSize;
          out[plane + y * width + x] = sample(pixels, plane, height, width, sx, sy);
        }
      }
    }
  }
  return out;
}

function resolveTransform(caller: string, transform: AffineTransform): Resolved {
  const resolved: Resolved = {
    dx: transform.dx ?? 0,
    dy: transform.dy ?? 0,
    rotation: transform.rotation ?? 0,
    scale: transform.scale ?? 1,
  };
  for (const field of ['dx', 'dy', 'rotation', 'scale'] as const) {
    const value = resolved[field];
    if (!Number.isFinite(value) || (field === 'scale' && value <= 0)) {
      throw new RangeError(
        `${caller}: transform.${field} must be a finite number${field === 'scale' ? ' > 0' : ''}, got ${value}`,
      );
    }
  }
  return resolved;
}

/** Four draws per sample whatever the ranges, so the stream moves on by the same amount. */
function drawTransform(random: RandomGenerator, ranges: Required<AugmentOptions>): Resolved {
  const symmetric = (max: number) => (2 * random.uniform() - 1) * max;
  const dx = symmetric(ranges.maxShift);
  const dy = symmetric(ranges.maxShift);
  const rotation = symmetric(ranges.maxRotation);
  const scale = 1 + symmetric(ranges.maxScale);
  return { dx, dy, rotation, scale };
}

/**
 * Moves each of `count` images (height × width, one after another) by its own random affine
 * transform about the image centre: a shift of up to ±`maxShift` pixels in x and in y, a rotation
 * of up to ±`maxRotation` degrees and a scale in [1 − maxScale, 1 + maxScale], all uniform. Pixels
 * are sampled bilinearly; what comes from outside the image is 0 (the background). Four numbers
 * are drawn from `random` per image.
 *
 * @example
 * const random = new RandomGenerator(1);
 * const moved = augmentImages(pixels, 100, 28, 28, { maxShift: 2, maxRotation: 10 }, random);
 * moved.length === pixels.length; // true
 */
export function augmentImages(
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
  options: AugmentOptions,
  random: RandomGenerator,
): Float32Array {
  checkPixels('augmentImages', pixels, count, height, width);
  const ranges = resolveAugmentOptions('augmentImages', options);
  return warp(pixels, count, 1, height, width, () => drawTransform(random, ranges));
}

/**
 * Moves every one of `count` images (height × width) by the same fixed affine transform, as
 * `augmentImages` does with random ones: for tests, and to show what a transform does.
 *
 * @example
 * // One column to the right: column 0 becomes background, column x takes column x − 1.
 * transformImages(Float32Array.of(1, 2, 3, 4), 1, 2, 2, { dx: 1 }); // [0, 1, 0, 3]
 */
export function transformImages(
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
  transform: AffineTransform,
): Float32Array {
  checkPixels('transformImages', pixels, count, height, width);
  const resolved = resolveTransform('transformImages', transform);
  return warp(pixels, count, 1, height, width, () => resolved);
}

/**
 * Options of `AugmentedDataset`: the transform ranges, a seed and, for flattened samples, the image
 * size.
 */
export interface AugmentedDatasetOptions extends AugmentOptions {
  /** Seeds the dataset's own generator; default 0. */
  seed?: number;
  /**
   * The image size, for flattened samples [N, F] that are not square (F = C·height·width); when
   * given with [N, H, W] or [N, C, H, W] samples it must match H and W.
   */
  height?: number;
  /** The image width, with `height`. */
  width?: number;
}

/**
 * A `BatchSource` whose batches are the source's with every image moved by a random affine
 * transform (`augmentImages`; one transform per sample, shared by its channels). Labels, targets
 * and indices are the source's, untouched; `x` keeps its shape and is a new tensor on the active
 * backend. The randomness comes from the dataset's own generator (seeded by `seed`), which
 * `getState`/`setState` save and restore, so a checkpoint resumes with the same batches.
 *
 * The image size: the last two axes of samples [N, H, W] or [N, C, H, W]; for flattened samples
 * [N, F], `height` × `width` from the options, or else a square, F = s² giving s × s (784 gives
 * 28 × 28). Wrap the training set only: evaluation wants the images as they are.
 *
 * @example
 * const train = new AugmentedDataset(mnist.train.dataset, { seed: 1, maxShift: 2 });
 * const loader = new DataLoader(train, { batchSize: 100, shuffle: true, seed: 1 });
 * const checkpoint = { loader: loader.getState(), augment: train.getState() };
 */
export class AugmentedDataset implements BatchSource<Batch> {
  /** The dataset whose images it moves. */
  readonly source: BatchSource<Batch>;
  /** The transform ranges, defaults filled in. */
  readonly options: Readonly<Required<AugmentOptions>>;
  private readonly height: number | null;
  private readonly width: number | null;
  private readonly random: RandomGenerator;

  constructor(source: BatchSource<Batch>, options: AugmentedDatasetOptions = {}) {
    this.source = source;
    this.options = Object.freeze(resolveAugmentOptions('AugmentedDataset', options));
    const { height, width } = options;
    if ((height === undefined) !== (width === undefined)) {
      throw new RangeError(
        `AugmentedDataset: give both options.height and options.width, or neither (got ${height === undefined ? 'only width' : 'only height'})`,
      );
    }
    for (const [field, value] of [
      ['height', height],
      ['width', width],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new RangeError(
          `AugmentedDataset: options.${field} must be a positive integer, got ${value}`,
        );
      }
    }
    this.height = height ?? null;
    this.width = width ?? null;
    this.random = new RandomGenerator(options.seed ?? 0);
  }

  /** The number of samples: the source's. */
  get length(): number {
    return this.source.length;
  }

  /** The source's batch, its images augmented. */
  batch(indices: ArrayLike<number>): Batch {
    const ranges = this.options;
    const augment = (pixels: Float32Array, shape: readonly number[]) => {
      const [count, channels, height, width] = this.imageLayout(shape);
      return warp(pixels, count, channels, height, width, () => drawTransform(this.random, ranges));
    };
    const source = this.source as Partial<ArrayDataset>;
    if (source.hostBatch && source.uploadBatch) {
      // Warp the pixels before their one upload: no read back, so it works on any backend.
      const host = source.hostBatch(indices);
      return source.uploadBatch({ ...host, x: augment(host.x, host.shape) });
    }
    const batch = this.source.batch(indices);
    return {
      ...batch,
      x: tensorFromFloat32(augment(batch.x.dataSync(), batch.x.shape), batch.x.shape),
    };
  }

  /** The generator's state: save it with the loader's to resume the same augmented batches. */
  getState(): RandomState {
    return this.random.getState();
  }

  /** Restores the generator's state from `getState`. */
  setState(state: RandomState): void {
    this.random.setState(state);
  }

  /** [count, channels, height, width] of a batch `x` (see the class comment for the rule). */
  private imageLayout(shape: readonly number[]): [number, number, number, number] {
    const [count = 0, ...sample] = shape;
    const described = `batch x has shape [${shape}]`;
    if (sample.length === 2 || sample.length === 3) {
      const [height, width] = sample.slice(-2) as [number, number];
      const channels = sample.length === 3 ? sample[0]! : 1;
      if (this.height !== null && (this.height !== height || this.width !== width)) {
        throw new RangeError(
          `AugmentedDataset: ${described}, whose images are ${height}×${width}, but options.height × options.width is ${this.height}×${this.width}`,
        );
      }
      return [count, channels, height, width];
    }
    if (sample.length !== 1) {
      throw new RangeError(
        `AugmentedDataset: ${described}; expected images [N, H, W] or [N, C, H, W], or flattened [N, F]`,
      );
    }
    const features = sample[0]!;
    if (this.height !== null && this.width !== null) {
      const channels = features / (this.height * this.width);
      if (!Number.isInteger(channels) || channels < 1) {
        throw new RangeError(
          `AugmentedDataset: ${described}: ${features} features are not a whole number of options.height × options.width = ${this.height}×${this.width} images`,
        );
      }
      return [count, channels, this.height, this.width];
    }
    const side = Math.round(Math.sqrt(features));
    if (side * side !== features) {
      throw new RangeError(
        `AugmentedDataset: ${described}: ${features} features are not a square image, so its size cannot be inferred; give options.height and options.width`,
      );
    }
    return [count, 1, side, side];
  }
}
