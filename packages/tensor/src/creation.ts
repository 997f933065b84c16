import { getBackend } from './backend.js';
import { defaultGenerator, type RandomGenerator } from './random.js';
import { assertValidShape, formatShape, type Shape, ShapeError, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options of the functions that make a new leaf tensor. */
export interface TensorOptions {
  /** Record the ops on it so that `backward()` computes its gradient (default false). */
  requiresGrad?: boolean;
}

/** Options of `rand` and `randn`. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from; the default one is seeded by `manualSeed`. */
  generator?: RandomGenerator;
}

/** What `tensor()` accepts: a number, nested arrays, or a flat array or typed array. */
export type TensorData = NestedArray | ArrayLike<number>;

function leaf(values: Float32Array, shape: Shape, options: TensorOptions = {}): Tensor {
  const backend = getBackend();
  const t = new Tensor(backend.upload(values), shape, backend);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  let i = 0;
  const walk = (value: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (typeof value !== 'number')
        throw new ShapeError('tensor: nested arrays are ragged (uneven lengths)');
      out[i++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[axis]) {
      throw new ShapeError(
        `tensor: nested arrays are ragged: expected ${shape[axis]} entries at depth ${axis}`,
      );
    }
    for (const v of value) walk(v, axis + 1);
  };
  walk(data, 0);
  return out;
}

/**
 * Makes a tensor from a number, nested arrays, a flat array or a typed array. With a flat input,
 * `shape` gives its dimensions (default: 1-D).
 *
 * @example
 * tensor([[1, 2, 3], [4, 5, 6]]).shape       // [2, 3]
 * tensor([1, 2, 3, 4, 5, 6], [3, 2]).shape   // [3, 2]
 * tensor(new Float32Array(4), [2, 2], { requiresGrad: true })
 */
export function tensor(
  data: TensorData,
  shape?: readonly number[],
  options?: TensorOptions,
): Tensor {
  let values: Float32Array;
  let inferred: number[];
  if (typeof data === 'number') {
    values = Float32Array.of(data);
    inferred = [];
  } else if (Array.isArray(data) && data.some((v) => Array.isArray(v))) {
    inferred = inferShape(data as NestedArray);
    values = flattenNested(data as NestedArray, inferred);
  } else {
    values = Float32Array.from(data as ArrayLike<number>);
    inferred = [values.length];
  }
  const target = shape ?? inferred;
  assertValidShape('tensor', target);
  if (sizeOf(target) !== values.length) {
    throw new ShapeError(
      `tensor: ${values.length} values do not fill shape ${formatShape(target)} (${sizeOf(target)} elements)`,
    );
  }
  return leaf(values, target, options);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
  assertValidShape('full', shape);
  const backend = getBackend();
  const t = new Tensor(backend.fill(sizeOf(shape), value), shape, backend);
  t.requiresGrad = options?.requiresGrad ?? false;
  return t;
}

/** A tensor of zeros: the book's `np.zeros`. */
export const zeros = (shape: readonly number[], options?: TensorOptions): Tensor =>
  full(shape, 0, options);
/** A tensor of ones: the book's `np.ones`. */
export const ones = (shape: readonly number[], options?: TensorOptions): Tensor =>
  full(shape, 1, options);
/** Zeros of the shape of `t` (a leaf that does not require grad). */
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0);
/** Ones of the shape of `t` (a leaf that does not require grad). */
export const onesLike = (t: Tensor): Tensor => full(t.shape, 1);

/**
 * Evenly spaced values in [start, stop), as `torch.arange`; `arange(n)` is 0..n-1.
 * @example arange(0, 1, 0.25).toArray() // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new ShapeError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((to - from) / step));
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = from + i * step;
  return leaf(values, [n]);
}

/** The largest float32 below 1. */
const BELOW_ONE = 1 - 2 ** -24;

/** Uniform values in [0, 1) from the seeded generator. */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  assertValidShape('rand', shape);
  const generator = options.generator ?? defaultGenerator;
  const values = new Float32Array(sizeOf(shape));
  // uniform() < 1, but values within 2^-25 of 1 would round up to 1 in float32: keep them below.
  for (let i = 0; i < values.length; i++) values[i] = Math.min(generator.uniform(), BELOW_ONE);
  return leaf(values, shape, options);
}

/** Standard normal values from the seeded generator (the book's `np.random.randn`). */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  assertValidShape('randn', shape);
  const generator = options.generator ?? defaultGenerator;
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = generator.normal();
  return leaf(values, shape, options);
}
