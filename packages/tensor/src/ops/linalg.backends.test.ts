import { expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import { matmul } from './linalg.js';

describeEachBackend('matmul', () => {
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);
  it('multiplies matrices (the book’s section 3.3 example)', () => {
    expect(
      matmul(
        a,
        tensor([
          [5, 6],
          [7, 8],
        ]),
      ).toArray(),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(a.matmul(tensor([[5], [6]])).toArray()).toEqual([[17], [39]]);
  });

  it('treats 1-D operands as vectors and drops their axis, as NumPy', () => {
    const v = tensor([1, 1]);
    expect(matmul(v, a).toArray()).toEqual([4, 6]);
    expect(matmul(a, v).toArray()).toEqual([3, 7]);
    const dot = matmul(v, tensor([2, 3]));
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(5);
  });

  it('batches leading axes and broadcasts them', () => {
    const batch = arange(12).reshape([3, 2, 2]);
    const out = matmul(batch, a);
    expect(out.shape).toEqual([3, 2, 2]);
    expect((out.toArray() as number[][][])[1]).toEqual([
      [4 * 1 + 5 * 3, 4 * 2 + 5 * 4],
      [6 * 1 + 7 * 3, 6 * 2 + 7 * 4],
    ]);
    expect(matmul(a, batch).shape).toEqual([3, 2, 2]);
    expect(matmul(arange(8).reshape([2, 1, 2, 2]), batch).shape).toEqual([2, 3, 2, 2]);
    expect(matmul(tensor([1, 1]), batch).toArray()).toEqual([
      [2, 4],
      [10, 12],
      [18, 20],
    ]);
  });

  it('sums the gradient of a matrix shared across a batch', () => {
    const w = tensor([[1], [1]], undefined, { requiresGrad: true });
    matmul(arange(8).reshape([2, 2, 2]), w)
      .sum()
      .backward();
    // Σ over batches and rows of x: columns sum to 0+2+4+6 = 12 and 1+3+5+7 = 16.
    expect(w.grad?.toArray()).toEqual([[12], [16]]);
  });

  it('names both shapes when the inner sizes differ', () => {
    expect(() => matmul(tensor([[1, 2, 3]]), a)).toThrow(ShapeError);
    expect(() => matmul(tensor([[1, 2, 3]]), a)).toThrow(
      'matmul: shapes [1, 3] and [2, 2] do not fit (inner sizes 3 and 2)',
    );
    expect(() => matmul(tensor(1), a)).toThrow(
      'matmul: operands must have at least one axis, got [] and [2, 2]',
    );
    expect(() => matmul(arange(8).reshape([2, 2, 2]), arange(12).reshape([3, 2, 2]))).toThrow(
      /^matmul: shapes \[2\] and \[3\] cannot be broadcast/,
    );
  });
});
