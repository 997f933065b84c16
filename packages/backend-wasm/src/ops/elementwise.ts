/** Elementwise operations: fills, ops of one input, broadcast ops of two. */
import {
  type Backend,
  BINARY_OPS,
  type BinaryOp,
  sizeOf,
  UNARY_OPS,
  type UnaryOp,
} from '@scratchnet/tensor';
import { coalesce, type WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';

/** The kernels' op code of each name: its index in the tensor core's vocabulary. */
export const codesOf = <Op extends string>(ops: readonly Op[]) =>
  Object.fromEntries(ops.map((op, code) => [op, code])) as Record<Op, number>;
const UNARY_CODES = codesOf<UnaryOp>(UNARY_OPS);
const BINARY_CODES = codesOf<BinaryOp>(BINARY_OPS);

/** `fill`, `unary` and `binary` on the wasm kernels. */
export function elementwiseOps(
  ctx: WasmContext,
): Pick<Backend<WasmData>, 'fill' | 'unary' | 'binary'> {
  const { k, heap, pool, threads, alloc, ptrOf, minParallel, writeDims, runOn, parallelFor } = ctx;
  /**
   * An elementwise kernel over coalesced `dims` (rows [size, stride per input…]) and a contiguous
   * output, split along the first axis between the threads when it is big enough.
   */
  const elementwise = (
    kernel: 'binary',
    code: number,
    inputs: readonly number[],
    out: number,
    dims: number[][],
    size: number,
  ): void => {
    const first = dims[0]?.[0] ?? 1;
    const parts = pool && size >= minParallel.elementwise ? Math.min(threads, first) : 1;
    if (parts <= 1) {
      k.binary(code, inputs[0]!, inputs[1]!, out, dims.length, writeDims(dims));
      return;
    }
    const outStride = size / first;
    const chunk = Math.ceil(first / parts);
    for (let t = parts - 1; t >= 0; t--) {
      const begin = t * chunk;
      const end = Math.min(first, begin + chunk);
      if (begin >= end) continue;
      const part = [[end - begin, ...dims[0]!.slice(1)], ...dims.slice(1)];
      const [a, b] = inputs.map((p, i) => p + 4 * begin * dims[0]![i + 1]!);
      runOn(t, kernel, [
        code,
        a!,
        b!,
        out + 4 * begin * outStride,
        part.length,
        writeDims(part, t),
      ]);
    }
    pool!.wait();
  };

  return {
    fill(size, value) {
      heap.begin('fill');
      const out = alloc(size);
      if (size > 0) k.fill(ptrOf(out), size, value);
      return out;
    },

    unary(op, x, size) {
      heap.begin(op);
      const xp = heap.use(x);
      const out = alloc(size);
      if (size === 0) return out;
      const code = UNARY_CODES[op];
      const parts = pool && size >= minParallel.elementwise ? threads : 1;
      parallelFor('unary', parts, (t0, t1) => {
        const chunk = Math.ceil(size / parts / 16) * 16;
        const begin = Math.min(size, t0 * chunk);
        const end = Math.min(size, t1 * chunk);
        return [code, xp + 4 * begin, ptrOf(out) + 4 * begin, end - begin];
      });
      return out;
    },

    binary(op, a, b, { outShape, aStrides, bStrides }) {
      heap.begin(op);
      const ap = heap.use(a);
      const bp = heap.use(b);
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      const dims = coalesce(outShape.map((d, i) => [d, aStrides[i]!, bStrides[i]!]));
      elementwise('binary', BINARY_CODES[op], [ap, bp], ptrOf(out), dims, size);
      return out;
    },
  };
}
