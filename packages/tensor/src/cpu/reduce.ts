import type { ReduceOp } from '../backend.js';
import { reducedShape, type Shape, sizeOf, stridesOf } from '../shape.js';

/**
 * Reduces `axes` of x. The input is walked in memory order; each element's output slot follows
 * from strides in which the reduced axes have stride 0.
 */
export function reduce(
  op: ReduceOp,
  x: Float32Array,
  shape: Shape,
  axes: readonly number[],
): Float32Array {
  const outShape = reducedShape(shape, axes, true);
  const outSize = sizeOf(outShape);
  const size = sizeOf(shape);
  if (op === 'argmax' || op === 'argmin') return argReduce(op === 'argmax', x, shape, axes[0]!);
  const out = new Float32Array(outSize);
  if (op === 'max') out.fill(Number.NEGATIVE_INFINITY);
  if (op === 'min') out.fill(Number.POSITIVE_INFINITY);
  if (size === 0) return out;
  const rank = shape.length;
  const own = stridesOf(outShape);
  const outStrides = shape.map((_, d) => (axes.includes(d) ? 0 : own[d]!));
  const inner = shape[rank - 1]!;
  const innerStep = outStrides[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let dst = 0;
  for (let src = 0; src < size; src += inner) {
    if (op === 'sum') {
      if (innerStep === 0) {
        let total = 0;
        for (let j = 0; j < inner; j++) total += x[src + j]!;
        out[dst] = out[dst]! + total;
      } else {
        for (let j = 0; j < inner; j++) out[dst + j] = out[dst + j]! + x[src + j]!;
      }
    } else {
      const isMax = op === 'max';
      for (let j = 0; j < inner; j++) {
        const v = x[src + j]!;
        const o = dst + j * innerStep;
        const cur = out[o]!;
        // NaN wins, as in PyTorch: a NaN anywhere should not hide behind a max.
        if (Number.isNaN(v) || (isMax ? v > cur : v < cur)) out[o] = v;
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      dst += outStrides[d]!;
      if (index[d]! < shape[d]!) break;
      dst -= outStrides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** Index of the first largest (smallest) value along one axis, as a float. */
function argReduce(isMax: boolean, x: Float32Array, shape: Shape, axis: number): Float32Array {
  const len = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = x[base]!;
      let bestIndex = 0;
      for (let j = 1; j < len; j++) {
        const v = x[base + j * inner]!;
        if (Number.isNaN(best)) break;
        if (Number.isNaN(v) || (isMax ? v > best : v < best)) {
          best = v;
          bestIndex = j;
        }
      }
      out[o * inner + i] = bestIndex;
    }
  }
  return out;
}
