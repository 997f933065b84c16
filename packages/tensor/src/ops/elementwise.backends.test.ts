import { expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import {
  abs,
  add,
  clamp,
  div,
  eq,
  exp,
  ge,
  gt,
  le,
  log,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  stepFunction,
  sub,
  tanh,
  where,
} from './elementwise.js';

const close = (actual: unknown, expected: number[] | number[][], digits = 6) => {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const a = flat(actual);
  const e = flat(expected);
  expect(a).toHaveLength(e.length);
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(e[i]!, digits);
  });
};

describeEachBackend('broadcasting arithmetic', () => {
  const column = tensor([[1], [2]]); // [2, 1]
  const row = tensor([10, 20, 30]); // [3]

  it('adds a column and a row into a [2, 3] grid', () => {
    expect(add(column, row).toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });

  it('subtracts, multiplies and divides with broadcasting in either order', () => {
    expect(sub(row, column).toArray()).toEqual([
      [9, 19, 29],
      [8, 18, 28],
    ]);
    expect(mul(column, row).toArray()).toEqual([
      [10, 20, 30],
      [20, 40, 60],
    ]);
    expect(div(row, column).toArray()).toEqual([
      [10, 20, 30],
      [5, 10, 15],
    ]);
  });

  it('accepts plain numbers on either side', () => {
    const x = tensor([1, 2, 4]);
    expect(add(x, 1).toArray()).toEqual([2, 3, 5]);
    expect(sub(1, x).toArray()).toEqual([0, -1, -3]);
    expect(div(8, x).toArray()).toEqual([8, 4, 2]);
    expect(x.mul(0.5).toArray()).toEqual([0.5, 1, 2]);
    expect(pow(2, x).toArray()).toEqual([2, 4, 16]);
    expect(pow(x, 2).toArray()).toEqual([1, 4, 16]);
  });

  it('broadcasts a 0-d tensor and keeps the larger rank', () => {
    const scalar = tensor(3);
    expect(scalar.shape).toEqual([]);
    expect(add(scalar, tensor([[1, 2]])).toArray()).toEqual([[4, 5]]);
    expect(mul(scalar, scalar).shape).toEqual([]);
    expect(add(tensor([[[1]]]), tensor([1, 2])).shape).toEqual([1, 1, 2]);
  });

  it('maximum and minimum broadcast and propagate NaN', () => {
    const x = tensor([
      [-1, 5],
      [3, Number.NaN],
    ]);
    expect(maximum(x, 2).toArray()).toEqual([
      [2, 5],
      [3, Number.NaN],
    ]);
    expect(minimum(x, tensor([0, 4])).toArray()).toEqual([
      [-1, 4],
      [0, Number.NaN],
    ]);
  });

  it('names the op and both shapes when shapes cannot broadcast', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(
      'add: shapes [1, 3] and [2] cannot be broadcast (axis 1: 3 vs 2)',
    );
    expect(() =>
      mul(
        tensor([[1], [2]]),
        tensor([
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ]),
      ),
    ).toThrow(/^mul: shapes \[2, 1\] and \[3, 3\] cannot be broadcast/);
  });
});

describeEachBackend('pow gradients at a = 0 (as PyTorch: 0, not NaN)', () => {
  it('d/db of aᵇ is 0 where a = 0 and b ≥ 0', () => {
    const a = tensor([0, 0, 2]);
    const b = tensor([2, 0, 3], undefined, { requiresGrad: true });
    pow(a, b).sum().backward();
    const g = b.grad!.toArray() as number[];
    expect(g.slice(0, 2)).toEqual([0, 0]);
    expect(g[2]).toBeCloseTo(8 * Math.LN2, 5);
  });

  it('d/da of aᵇ is 0 where b = 0, and b·aᵇ⁻¹ elsewhere', () => {
    const a = tensor([0, 0, 3], undefined, { requiresGrad: true });
    pow(a, tensor([0, 2, 2]))
      .sum()
      .backward();
    expect(a.grad?.toArray()).toEqual([0, 0, 6]);
  });
});

describeEachBackend('comparisons give 1 or 0', () => {
  const a = tensor([1, 2, 3]);
  const b = tensor([3, 2, 1]);
  it.each([
    ['eq', eq, [0, 1, 0]],
    ['ne', ne, [1, 0, 1]],
    ['lt', lt, [1, 0, 0]],
    ['le', le, [1, 1, 0]],
    ['gt', gt, [0, 0, 1]],
    ['ge', ge, [0, 1, 1]],
  ] as const)('%s', (_name, op, expected) => {
    expect(op(a, b).toArray()).toEqual(expected);
  });

  it('compare against a broadcast number, and carry no gradient', () => {
    const x = tensor([-1, 0, 1], undefined, { requiresGrad: true });
    const mask = gt(x, 0);
    expect(mask.toArray()).toEqual([0, 0, 1]);
    x.mul(mask).sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 1]);
  });
});

describeEachBackend('unary functions', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 2]);
  it('neg, abs, square, relu', () => {
    expect(neg(x).toArray()).toEqual([2, 0.5, -0, -0.5, -2]);
    expect(abs(x).toArray()).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(square(x).toArray()).toEqual([4, 0.25, 0, 0.25, 4]);
    expect(relu(x).toArray()).toEqual([0, 0, 0, 0.5, 2]);
  });

  it('exp, log, sqrt', () => {
    close(exp(tensor([0, 1, -1])).toArray(), [1, Math.E, 1 / Math.E]);
    close(log(tensor([1, Math.E, 0.5])).toArray(), [0, 1, Math.log(0.5)]);
    expect(log(tensor([0])).toArray()).toEqual([Number.NEGATIVE_INFINITY]);
    expect(sqrt(tensor([4, 9, 0.25])).toArray()).toEqual([2, 3, 0.5]);
  });

  it('sigmoid and tanh, including large |x| (the book’s overflow case)', () => {
    close(sigmoid(tensor([0, 2, -2])).toArray(), [
      0.5,
      1 / (1 + Math.exp(-2)),
      1 / (1 + Math.exp(2)),
    ]);
    expect(sigmoid(tensor([-1000, 1000])).toArray()).toEqual([0, 1]);
    close(tanh(x).toArray(), [-2, -0.5, 0, 0.5, 2].map(Math.tanh));
  });

  it('stepFunction is the book’s step_function (3.2.2): [-1, 1, 2] → [0, 1, 1], 0 at 0', () => {
    expect(stepFunction(tensor([-1, 1, 2])).toArray()).toEqual([0, 1, 1]);
    // Strictly greater: 0 itself gives 0, a tiny positive value 1.
    expect(stepFunction(tensor([-0.5, 0, 1e-30, 5])).toArray()).toEqual([0, 0, 1, 1]);
  });

  it('stepFunction passes no gradient (its derivative is 0, section 4.2.5)', () => {
    const x = tensor([-1, 0.5, 2], undefined, { requiresGrad: true });
    // Only the x term carries a gradient: 1 each, nothing from the step.
    stepFunction(x).mul(3).add(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([1, 1, 1]);
  });
});

describeEachBackend('clamp and where', () => {
  it('clamp limits to [min, max], with either bound optional', () => {
    const x = tensor([-3, -1, 0, 1, 3]);
    expect(clamp(x, -1, 1).toArray()).toEqual([-1, -1, 0, 1, 1]);
    expect(clamp(x, 0).toArray()).toEqual([0, 0, 0, 1, 3]);
    expect(clamp(x, undefined, 0).toArray()).toEqual([-3, -1, 0, 0, 0]);
  });

  it('clamp passes the gradient inside and stops it outside', () => {
    const x = tensor([-3, -0.5, 0.5, 3], undefined, { requiresGrad: true });
    clamp(x, -1, 1).sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 1, 1, 0]);
  });

  it('where picks a where the condition is non-zero, b elsewhere, with broadcasting', () => {
    const condition = tensor([[1, 0, 2]]);
    expect(where(condition, tensor([[1], [2]]), -1).toArray()).toEqual([
      [1, -1, 1],
      [2, -1, 2],
    ]);
  });
});

describeEachBackend('clamp', () => {
  it('passes the gradient inside [min, max], bounds included, as PyTorch', () => {
    const x = tensor([-1, 0, 0.5, 1, 2], undefined, { requiresGrad: true });
    const y = clamp(x, 0, 1);
    expect(y.toArray()).toEqual([0, 0, 0.5, 1, 1]);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 1, 1, 1, 0]);
  });
});
