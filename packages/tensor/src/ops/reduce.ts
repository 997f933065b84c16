import { scope } from '../memory.js';
import { alias, run } from '../primitives.js';
import {
  formatShape,
  normalizeAxes,
  normalizeAxis,
  reducedShape,
  type Shape,
  ShapeError,
  shapesEqual,
} from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, square, sub } from './elementwise.js';
import { reshape } from './shape-ops.js';

/** The axes to reduce over: one, several, or all (undefined); negative axes count from the end. */
export type Axes = number | readonly number[] | undefined;

/** The axes to reduce; a 0-d tensor's implicit axis (0 or -1) reduces nothing, as in PyTorch. */
function reducedAxes(op: string, x: Tensor, axis: Axes): number[] {
  return normalizeAxes(op, axis, x.rank).filter((a) => a < x.rank);
}

function reduceWith(prim: 'sum' | 'max' | 'min', x: Tensor, axis: Axes, keepdims: boolean): Tensor {
  const axes = reducedAxes(prim, x, axis);
  if (prim !== 'sum' && axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${prim}: cannot reduce an empty axis of ${formatShape(x.shape)}`);
  }
  if (!keepdims) return axes.length === 0 ? alias(x) : run(prim, [x], { axes });
  return scope(() =>
    reshape(axes.length === 0 ? x : run(prim, [x], { axes }), reducedShape(x.shape, axes, true)),
  );
}

/**
 * Sum over `axis` (all axes when omitted).
 * @example sum(tensor([[1, 2], [3, 4]]), 1).toArray() // [3, 7]
 */
export const sum = (x: Tensor, axis?: Axes, keepdims = false): Tensor =>
  reduceWith('sum', x, axis, keepdims);
/** Maximum over `axis` (all axes when omitted); the gradient is shared between tied maxima. */
export const max = (x: Tensor, axis?: Axes, keepdims = false): Tensor =>
  reduceWith('max', x, axis, keepdims);
/** Minimum over `axis` (all axes when omitted); the gradient is shared between tied minima. */
export const min = (x: Tensor, axis?: Axes, keepdims = false): Tensor =>
  reduceWith('min', x, axis, keepdims);

/** How many elements each output averages; also checks the axes, naming `op` in errors. */
function countOver(op: string, x: Tensor, axis: Axes): number {
  return reducedAxes(op, x, axis).reduce((n, a) => n * x.shape[a]!, 1);
}

/**
 * Mean over `axis` (all axes when omitted).
 * @example mean(tensor([[1, 2], [3, 4]]), 0).toArray() // [2, 3]
 */
export function mean(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  const n = countOver('mean', x, axis);
  return scope(() => div(sum(x, axis, keepdims), n));
}

/** Options of `variance`. */
export interface VarianceOptions {
  /** Keep the reduced axes with size 1, so that the result broadcasts against the input. */
  keepdims?: boolean;
  /**
   * Subtracted from the count in the divisor: 1 gives the unbiased estimate (PyTorch's default),
   * 0 the population variance that NumPy and the book's BatchNormalization use.
   */
  correction?: number;
}

/**
 * Variance over `axis` (all axes when omitted), unbiased unless `correction` says otherwise.
 *
 * @param options - `keepdims` and `correction`: see {@link VarianceOptions}.
 */
export function variance(
  x: Tensor,
  axis?: Axes,
  { keepdims = false, correction = 1 }: VarianceOptions = {},
): Tensor {
  const n = countOver('variance', x, axis);
  return scope(() => {
    const centred = sub(x, mean(x, axis, true));
    return div(sum(square(centred), axis, keepdims), Math.max(n - correction, 0));
  });
}

function argReduce(
  prim: 'argmax' | 'argmin',
  x: Tensor,
  axis: number | undefined,
  keepdims: boolean,
): Tensor {
  if (x.size === 0) throw new ShapeError(`${prim}: the tensor ${formatShape(x.shape)} is empty`);
  return scope(() => argReduceComposed(prim, x, axis, keepdims));
}

function argReduceComposed(
  prim: 'argmax' | 'argmin',
  x: Tensor,
  axis: number | undefined,
  keepdims: boolean,
): Tensor {
  const a = axis === undefined ? undefined : normalizeAxis(prim, axis, x.rank);
  // Over every axis, or the one implicit axis of a 0-d tensor: the index in the flat values.
  if (a === undefined || x.rank === 0) {
    const flat = run(prim, [reshape(x, [x.size])], { axis: 0 });
    return keepdims
      ? reshape(
          flat,
          x.shape.map(() => 1),
        )
      : flat;
  }
  const out = run(prim, [x], { axis: a });
  return keepdims ? reshape(out, reducedShape(x.shape, [a], true)) : out;
}

/** Index of the largest value along `axis` (of the flattened tensor when omitted), as floats. */
export const argmax = (x: Tensor, axis?: number, keepdims = false): Tensor =>
  argReduce('argmax', x, axis, keepdims);
/** Index of the smallest value along `axis` (of the flattened tensor when omitted), as floats. */
export const argmin = (x: Tensor, axis?: number, keepdims = false): Tensor =>
  argReduce('argmin', x, axis, keepdims);

/** Sums a broadcast gradient back down to `shape`: the adjoint of broadcasting. */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return alias(x);
  return scope(() => sumToComposed(x, shape));
}

function sumToComposed(x: Tensor, shape: Shape): Tensor {
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  x.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length > 0 ? run('sum', [x], { axes }) : x;
  return reshape(summed, shape);
}

/** Broadcasts `x` to `shape` (PyTorch's `expand`). */
export function expandTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return alias(x);
  return run('expand', [x], { shape });
}

/** log(Σ exp(x)) along `axis`, shifted by the maximum so that exp never overflows. */
export function logSumExp(x: Tensor, axis: number, keepdims = false): Tensor {
  return scope(() => {
    const shift = max(x, axis, true).detach();
    const out = sum(sub(x, shift).exp(), axis, true).log().add(shift);
    return keepdims
      ? out
      : reshape(out, reducedShape(x.shape, [normalizeAxis('logSumExp', axis, x.rank)], false));
  });
}
