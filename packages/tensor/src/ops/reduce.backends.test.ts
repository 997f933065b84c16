import { expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import { argmax, argmin, logSumExp, max, mean, min, sum, variance } from './reduce.js';

// [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], [[12, ...], ...]]
const x = arange(24).reshape([2, 3, 4]);

describeEachBackend('sum and mean', () => {
  it('over everything, one axis, several axes and negative axes', () => {
    expect(sum(x).item()).toBe(276);
    expect(sum(x, 0).toArray()).toEqual([
      [12, 14, 16, 18],
      [20, 22, 24, 26],
      [28, 30, 32, 34],
    ]);
    expect(sum(x, -1).toArray()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(sum(x, [0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(mean(x, [1, 2]).toArray()).toEqual([5.5, 17.5]);
    expect(mean(x).item()).toBe(11.5);
  });

  it('keepdims leaves reduced axes as size 1', () => {
    expect(sum(x, 1, true).shape).toEqual([2, 1, 4]);
    expect(sum(x, [0, 2], true).toArray()).toEqual([[[60], [92], [124]]]);
    expect(mean(x, undefined, true).shape).toEqual([1, 1, 1]);
    expect(x.max(-1, true).shape).toEqual([2, 3, 1]);
  });

  it('an empty axis list reduces nothing; an empty axis sums to 0', () => {
    expect(sum(x, []).shape).toEqual([2, 3, 4]);
    expect(sum(tensor([], [2, 0]), 1).toArray()).toEqual([0, 0]);
  });

  it('a 0-d tensor accepts axis 0 or -1, as PyTorch', () => {
    const s = tensor(5);
    expect(sum(s, 0).item()).toBe(5);
    expect(sum(s, -1).item()).toBe(5);
    expect(max(s, -1).item()).toBe(5);
    expect(mean(s, 0, true).item()).toBe(5);
    expect(argmax(s, -1).item()).toBe(0);
    expect(() => sum(s, 1)).toThrow('sum: axis 1 is out of range for a tensor of rank 0');
  });
});

describeEachBackend('max and min', () => {
  const y = tensor([
    [3, -1, 7],
    [2, 9, -5],
  ]);
  it('reduce values along axes', () => {
    expect(max(y).item()).toBe(9);
    expect(min(y).item()).toBe(-5);
    expect(max(y, 0).toArray()).toEqual([3, 9, 7]);
    expect(min(y, 1).toArray()).toEqual([-1, -5]);
    expect(min(y, 1, true).toArray()).toEqual([[-1], [-5]]);
  });

  it('share the gradient between tied maxima (as PyTorch’s amax)', () => {
    const t = tensor([1, 4, 4, 2], undefined, { requiresGrad: true });
    max(t).backward();
    expect(t.grad?.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });

  it('refuse an empty axis', () => {
    expect(() => max(tensor([], [0, 3]), 0)).toThrow('max: cannot reduce an empty axis of [0, 3]');
  });
});

describeEachBackend('argmax and argmin', () => {
  const y = tensor([
    [3, 9, 9],
    [8, 1, 8],
  ]);
  it('give the first index of the extreme along an axis', () => {
    expect(argmax(y, 1).toArray()).toEqual([1, 0]);
    expect(argmin(y, 1).toArray()).toEqual([0, 1]);
    expect(argmax(y, 0).toArray()).toEqual([1, 0, 0]);
    expect(argmax(y, -1, true).toArray()).toEqual([[1], [0]]);
  });

  it('without an axis, index the flattened tensor', () => {
    expect(argmax(y).item()).toBe(1);
    expect(argmin(y).item()).toBe(4);
    expect(argmax(y, undefined, true).shape).toEqual([1, 1]);
  });

  it('reject empty tensors and bad axes', () => {
    expect(() => argmax(tensor([]))).toThrow('argmax: the tensor [0] is empty');
    expect(() => argmax(y, 2)).toThrow('argmax: axis 2 is out of range for a tensor of rank 2');
  });
});

describeEachBackend('variance', () => {
  const v = tensor([
    [1, 2, 3, 4],
    [2, 2, 2, 2],
  ]);
  it('is unbiased by default (correction 1, as PyTorch)', () => {
    expect(variance(v, 1).toArray()).toEqual([Math.fround(5 / 3), 0]);
  });
  it('with correction 0 is the population variance the book’s BatchNormalization uses', () => {
    expect(variance(v, 1, { correction: 0 }).toArray()).toEqual([1.25, 0]);
    expect(variance(v, 0, { correction: 0, keepdims: true }).toArray()).toEqual([
      [0.25, 0, 0.25, 1],
    ]);
    expect(variance(v, undefined, { correction: 0 }).item()).toBe(0.6875);
  });
});

describeEachBackend('logSumExp', () => {
  it('is log Σ exp along an axis, and stays finite for large values', () => {
    const z = tensor([
      [0, 0],
      [1000, 1000],
    ]);
    const out = logSumExp(z, 1).toArray() as number[];
    expect(out[0]).toBeCloseTo(Math.LN2, 6);
    expect(out[1]).toBeCloseTo(1000 + Math.LN2, 3);
    expect(logSumExp(z, 1, true).shape).toEqual([2, 1]);
  });
});

describeEachBackend('axis errors name the op', () => {
  it('rejects out-of-range and repeated axes', () => {
    expect(() => sum(x, 3)).toThrow(ShapeError);
    expect(() => sum(x, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 3');
    expect(() => mean(x, [1, -2])).toThrow('mean: repeated axis in [1, -2]');
    expect(() => variance(x, 5)).toThrow('variance: axis 5 is out of range');
    expect(() => max(x, 1.5)).toThrow(/max: axis 1\.5 is out of range/);
  });
});
