import type { GatherSpec } from '../backend.js';
import { type Shape, sizeOf, stridesOf } from '../shape.js';

/** Reads x through arbitrary strides into a new contiguous buffer. */
export function gather(x: Float32Array, spec: GatherSpec): Float32Array {
  const { outShape, strides, offset } = spec;
  const size = sizeOf(outShape);
  const out = new Float32Array(size);
  if (size === 0) return out;
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = x[offset]!;
    return out;
  }
  const inner = outShape[rank - 1]!;
  const step = strides[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let src = offset;
  for (let o = 0; o < size; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = x[src + j * step]!;
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < outShape[d]!) break;
      src -= strides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** Copies `x` (shape `shape`) into `out` (shape `outShape`) starting at `corner`. */
function place(
  x: Float32Array,
  shape: Shape,
  out: Float32Array,
  outShape: Shape,
  corner: readonly number[],
): void {
  const size = sizeOf(shape);
  if (size === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const outStrides = stridesOf(outShape);
  let dst = 0;
  for (let d = 0; d < rank; d++) dst += corner[d]! * outStrides[d]!;
  const inner = shape[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  for (let src = 0; src < size; src += inner) {
    out.set(x.subarray(src, src + inner), dst);
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      dst += outStrides[d]!;
      if (index[d]! < shape[d]!) break;
      dst -= outStrides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

export function pad(
  x: Float32Array,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
  value: number,
): Float32Array {
  const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = new Float32Array(sizeOf(outShape));
  if (value !== 0) out.fill(value);
  place(
    x,
    shape,
    out,
    outShape,
    pads.map((p) => p[0]),
  );
  return out;
}

export function concat(
  xs: readonly Float32Array[],
  shapes: readonly Shape[],
  axis: number,
): Float32Array {
  const outShape = [...shapes[0]!];
  outShape[axis] = shapes.reduce((total, s) => total + s[axis]!, 0);
  const out = new Float32Array(sizeOf(outShape));
  const corner = new Array<number>(outShape.length).fill(0);
  xs.forEach((x, i) => {
    place(x, shapes[i]!, out, outShape, corner);
    corner[axis]! += shapes[i]![axis]!;
  });
  return out;
}
