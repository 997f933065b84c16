import { expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import {
  concat,
  expand,
  flatten,
  narrow,
  pad,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from './shape-ops.js';

const grid = arange(6).reshape([2, 3]); // [[0, 1, 2], [3, 4, 5]]

describeEachBackend('reshape and flatten', () => {
  it('reshapes row-major, resolving one -1', () => {
    expect(reshape(arange(6), [3, 2]).toArray()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(reshape(arange(6), [-1, 3]).shape).toEqual([2, 3]);
    expect(reshape(arange(6), [2, 1, -1]).shape).toEqual([2, 1, 3]);
    expect(reshape(tensor(7), [1, 1]).toArray()).toEqual([[7]]);
  });

  it('rejects sizes that do not match, naming both shapes', () => {
    expect(() => reshape(arange(6), [4, 2])).toThrow(
      'reshape: cannot reshape [6] (6 elements) into [4, 2]',
    );
    expect(() => reshape(arange(6), [-1, 4])).toThrow('reshape: cannot reshape [6] into [-1, 4]');
    expect(() => reshape(arange(6), [-1, -1])).toThrow('reshape: only one dimension may be -1');
  });

  it('flattens a range of axes', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
  });
});

describeEachBackend('permute, transpose, expand, squeeze, unsqueeze', () => {
  it('permutes axes: output axis i is input axis perm[i]', () => {
    const x = arange(24).reshape([2, 3, 4]);
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k, i, j] = x[i, j, k] = 12i + 4j + k
    expect((p.toArray() as number[][][])[3]![1]![2]).toBe(12 + 8 + 3);
    expect(() => permute(x, [0, 0, 1])).toThrow(
      'permute: [0, 0, 1] is not a permutation of the 3 axes of [2, 3, 4]',
    );
  });

  it('transposes the last two axes by default, and .T is the matrix transpose', () => {
    expect(grid.T.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(transpose(arange(24).reshape([2, 3, 4])).shape).toEqual([2, 4, 3]);
    expect(transpose(arange(24).reshape([2, 3, 4]), 0, 2).shape).toEqual([4, 3, 2]);
  });

  it('expands size-1 axes and adds leading ones', () => {
    expect(expand(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(expand(tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(() => expand(tensor([1, 2]), [3])).toThrow(ShapeError);
  });

  it('squeezes size-1 axes (one or all) and unsqueezes at an axis', () => {
    const x = arange(3).reshape([1, 3, 1]);
    expect(squeeze(x).shape).toEqual([3]);
    expect(squeeze(x, 0).shape).toEqual([3, 1]);
    expect(squeeze(x, 1).shape).toEqual([1, 3, 1]); // not size 1: unchanged
    expect(unsqueeze(arange(3), 0).shape).toEqual([1, 3]);
    expect(unsqueeze(arange(3), -1).shape).toEqual([3, 1]);
  });
});

describeEachBackend('slice and narrow', () => {
  const x = arange(20).reshape([4, 5]);

  it('takes a box from begin with a size per axis (-1 or omitted: to the end)', () => {
    expect(slice(x, [1, 2], [2, 2]).toArray()).toEqual([
      [7, 8],
      [12, 13],
    ]);
    expect(slice(x, [2]).toArray()).toEqual([
      [10, 11, 12, 13, 14],
      [15, 16, 17, 18, 19],
    ]);
    expect(slice(x, [0, 3], [-1, -1]).shape).toEqual([4, 2]);
  });

  it('takes every step-th element, and counts negative begins from the end', () => {
    expect(slice(x, [0, 0], undefined, [2, 2]).toArray()).toEqual([
      [0, 2, 4],
      [10, 12, 14],
    ]);
    expect(slice(x, [1, 1], [2, 2], [2, 3]).toArray()).toEqual([
      [6, 9],
      [16, 19],
    ]);
    expect(slice(x, [-1, -2]).toArray()).toEqual([[18, 19]]);
  });

  it('scatters the gradient of a stepped slice back into place', () => {
    const t = arange(7).requireGrad();
    slice(t, [1], [3], [2]).sum().backward();
    expect(t.grad?.toArray()).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  it('narrow is a slice along one axis', () => {
    expect(narrow(x, 1, 1, 2).toArray()).toEqual([
      [1, 2],
      [6, 7],
      [11, 12],
      [16, 17],
    ]);
  });

  it('reports out-of-range begins, sizes and steps with the axis', () => {
    expect(() => slice(x, [5])).toThrow('slice: begin 5 is out of range for axis 0 of size 4');
    expect(() => slice(x, [0, 3], [1, 3])).toThrow(
      'slice: size 3 on axis 1 is out of range (axis size 5, begin 3, step 1)',
    );
    expect(() => slice(x, [0, 0], undefined, [1, 0])).toThrow(
      'slice: step 0 on axis 1 must be a whole number ≥ 1',
    );
  });
});

describeEachBackend('pad, concat, stack', () => {
  it('pads each axis before and after with a value', () => {
    expect(
      pad(grid, [
        [1, 0],
        [0, 2],
      ]).toArray(),
    ).toEqual([
      [0, 0, 0, 0, 0],
      [0, 1, 2, 0, 0],
      [3, 4, 5, 0, 0],
    ]);
    expect(pad(tensor([1, 2]), [[1, 1]], -1).toArray()).toEqual([-1, 1, 2, -1]);
    expect(pad(grid, [[1, 1]]).shape).toEqual([4, 3]); // missing axes are not padded
    expect(() => pad(grid, [[-1, 0]])).toThrow(
      'pad: pad widths must be whole numbers ≥ 0, got [-1, 0]',
    );
  });

  it('concatenates along an axis', () => {
    expect(concat([grid, tensor([[6, 7, 8]])]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(concat([grid, tensor([[9], [9]])], -1).toArray()).toEqual([
      [0, 1, 2, 9],
      [3, 4, 5, 9],
    ]);
    expect(() => concat([grid, tensor([[1, 2]])], 0)).toThrow(
      'concat: shapes [2, 3] and [1, 2] differ outside axis 0',
    );
    expect(() => concat([])).toThrow('concat: no tensors given');
  });

  it('stacks along a new axis, including the last one', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], -1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], 1).shape).toEqual([2, 2]);
  });

  it('splits the gradient of concat and stack between the inputs', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([3], undefined, { requiresGrad: true });
    concat([a, b])
      .mul(tensor([10, 20, 30]))
      .sum()
      .backward();
    expect(a.grad?.toArray()).toEqual([10, 20]);
    expect(b.grad?.toArray()).toEqual([30]);
  });
});
