/** Reductions over axes, and the arg-reductions. */
import { type Backend, REDUCE_OPS, type ReduceOp, sizeOf, stridesOf } from '@scratchnet/tensor';
import { coalesce, type WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';
import { codesOf } from './elementwise.js';

const REDUCE_CODES = codesOf<ReduceOp>(REDUCE_OPS);

/** `reduce` on the wasm kernels. */
export function reduceOps(ctx: WasmContext): Pick<Backend<WasmData>, 'reduce'> {
  const { k, heap, alloc, ptrOf, writeDims } = ctx;
  return {
    reduce(op: ReduceOp, x, shape, axes) {
      heap.begin(op);
      const xp = heap.use(x);
      const outShape = shape.filter((_, i) => !axes.includes(i));
      const outSize = sizeOf(outShape);
      const out = alloc(outSize);
      if (op === 'argmax' || op === 'argmin') {
        const axis = axes[0]!;
        const len = shape[axis]!;
        const inner = sizeOf(shape.slice(axis + 1));
        const outer = sizeOf(shape.slice(0, axis));
        if (outSize > 0) {
          if (len === 0) k.fill(ptrOf(out), outSize, 0);
          else k.argReduce(op === 'argmax' ? 1 : 0, xp, ptrOf(out), outer, len, inner);
        }
        return out;
      }
      if (outSize === 0) return out;
      k.fill(ptrOf(out), outSize, op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
      if (sizeOf(shape) === 0) return out;
      const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const own = stridesOf(kept);
      const outStrides = shape.map((_, d) => (axes.includes(d) ? 0 : own[d]!));
      const dims = coalesce(shape.map((d, i) => [d, outStrides[i]!]));
      if (dims.length === 0) dims.push([1, 0]);
      k.reduce(REDUCE_CODES[op], xp, ptrOf(out), dims.length, writeDims(dims));
      return out;
    },
  };
}
