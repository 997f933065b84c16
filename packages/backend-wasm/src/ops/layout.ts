/** Copies: strided reads (permute, broadcast, slices), padding and joins. */
import { type Backend, type GatherSpec, type Shape, sizeOf, stridesOf } from '@scratchnet/tensor';
import { coalesce, type WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';

/** `gather`, `pad` and `concat` on the strided-copy kernel. */
export function layoutOps(ctx: WasmContext): Pick<Backend<WasmData>, 'gather' | 'pad' | 'concat'> {
  const { k, heap, alloc, ptrOf, writeDims } = ctx;
  /** Copies `x` (shape `shape`, contiguous) into `out` at `corner` of an `outShape` array. */
  const place = (
    x: number,
    shape: Shape,
    out: number,
    outShape: Shape,
    corner: readonly number[],
  ) => {
    if (sizeOf(shape) === 0) return;
    const own = stridesOf(shape);
    const outStrides = stridesOf(outShape);
    let offset = 0;
    corner.forEach((c, i) => {
      offset += c * outStrides[i]!;
    });
    const dims = coalesce(shape.map((d, i) => [d, own[i]!, outStrides[i]!]));
    k.stridedCopy(x, out + 4 * offset, dims.length, writeDims(dims));
  };

  return {
    gather(x, spec: GatherSpec) {
      heap.begin('gather');
      const xp = heap.use(x);
      const { outShape, strides, offset } = spec;
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      const own = stridesOf(outShape);
      const dims = coalesce(outShape.map((d, i) => [d, strides[i]!, own[i]!]));
      k.stridedCopy(xp + 4 * offset, ptrOf(out), dims.length, writeDims(dims));
      return out;
    },

    pad(x, shape, pads, value) {
      heap.begin('pad');
      const xp = heap.use(x);
      const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      k.fill(ptrOf(out), size, value);
      place(
        xp,
        shape,
        ptrOf(out),
        outShape,
        pads.map((p) => p[0]),
      );
      return out;
    },

    concat(xs, shapes, axis) {
      heap.begin('concat');
      const ptrs = xs.map((x) => heap.use(x));
      const outShape = [...shapes[0]!];
      outShape[axis] = shapes.reduce((total, s) => total + s[axis]!, 0);
      const out = alloc(sizeOf(outShape));
      const corner = new Array<number>(outShape.length).fill(0);
      ptrs.forEach((x, i) => {
        place(x, shapes[i]!, ptrOf(out), outShape, corner);
        corner[axis]! += shapes[i]![axis]!;
      });
      return out;
    },
  };
}
