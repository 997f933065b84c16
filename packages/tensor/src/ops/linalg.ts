import { scope } from '../memory.js';
import { matmulSpec, run } from '../primitives.js';
import { broadcastShapes, formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expand, reshape } from './shape-ops.js';

/** The matmul primitive on rank-2/3 operands, optionally transposed (used by gradient rules). */
export function matmul2(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  matmulSpec(a.shape, b.shape, transA, transB); // checks the sizes fit
  return run('matmul', [a, b], { transA, transB });
}

/**
 * Matrix product with NumPy's rules: 1-D operands are vectors, leading axes are batch axes and
 * broadcast.
 * @example matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray() // [[17], [39]]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return scope(() => matmulComposed(a, b));
}

function matmulComposed(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: operands must have at least one axis, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b2.shape.slice(-2) as [number, number];
  if (k !== k2) {
    throw new ShapeError(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not fit (inner sizes ${k} and ${k2})`,
    );
  }
  let out: Tensor;
  if (a2.rank === 2 && b2.rank === 2) {
    out = run('matmul', [a2, b2], { transA: false, transB: false });
  } else {
    const batchShape = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    const batch = batchShape.reduce((x, y) => x * y, 1);
    // A rank-2 operand stays rank 2 so the primitive shares it across the batch without copying.
    const toBatch = (t: Tensor, rows: number, cols: number) =>
      t.rank === 2 ? t : reshape(expand(t, [...batchShape, rows, cols]), [batch, rows, cols]);
    out = run('matmul', [toBatch(a2, m, k), toBatch(b2, k, n)], { transA: false, transB: false });
    out = reshape(out, [...batchShape, m, n]);
  }
  if (a.rank === 1) out = reshape(out, [...out.shape.slice(0, -2), n]);
  if (b.rank === 1) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/**
 * y = x·Wᵀ + b with W [out, in], as PyTorch's `F.linear` (the book's Affine with W transposed).
 * The transpose is folded into the matrix product, never copied.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const [outFeatures, inFeatures] = weight.shape as [number, number];
  if (weight.rank !== 2 || x.rank < 1 || x.shape[x.rank - 1] !== inFeatures) {
    throw new ShapeError(
      `linear: input ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)}: expected [..., ${inFeatures}]`,
    );
  }
  return scope(() => {
    const flat = x.rank === 2 ? x : reshape(x, [-1, inFeatures]);
    let y = matmul2(flat, weight, false, true);
    if (bias) y = y.add(bias);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  });
}
