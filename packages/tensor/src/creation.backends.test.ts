import { expect, it } from 'vitest';
import { arange, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from './creation.js';
import { RandomGenerator } from './random.js';
import { ShapeError } from './shape.js';
import { describeEachBackend } from './testing/index.js';

describeEachBackend('tensor()', () => {
  it('infers the shape of nested arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes a number (0-d), a flat array with a shape, or a typed array', () => {
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3).item()).toBe(3);
    expect(tensor([1, 2, 3, 4, 5, 6], [3, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor(Float32Array.of(1, 2)).shape).toEqual([2]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('stores float32 values and copies its input', () => {
    const source = Float32Array.of(0.1, 2);
    const t = tensor(source);
    source[1] = 99;
    expect(t.dataSync()[0]).toBe(Math.fround(0.1));
    expect(t.dataSync()[1]).toBe(2);
  });

  it('sets requiresGrad when asked', () => {
    expect(tensor([1]).requiresGrad).toBe(false);
    expect(tensor([1], undefined, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('rejects ragged arrays and values that do not fill the shape', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      'tensor: nested arrays are ragged: expected 2 entries at depth 1',
    );
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(
      'tensor: 3 values do not fill shape [2, 2] (4 elements)',
    );
    expect(() => tensor([1, 2], [-1, 2])).toThrow(ShapeError);
  });
});

describeEachBackend('full, zeros, ones and the *Like helpers', () => {
  it('fill a shape', () => {
    expect(full([2, 2], 7).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(zeros([3]).toArray()).toEqual([0, 0, 0]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(zeros([2, 0]).size).toBe(0);
    expect(ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('copy the shape of another tensor', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(zerosLike(t).shape).toEqual([2, 3]);
    expect(Array.from(onesLike(t).dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('reject invalid shapes', () => {
    expect(() => zeros([2, 1.5])).toThrow(
      'full: invalid shape [2, 1.5]: sizes must be whole numbers ≥ 0',
    );
  });
});

describeEachBackend('arange', () => {
  it('counts as torch.arange', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(arange(5, 2).size).toBe(0);
    expect(() => arange(0, 1, 0)).toThrow('arange: step must not be 0');
  });
});

describeEachBackend('rand and randn', () => {
  it('rand is uniform in [0, 1), even where float32 rounding would give 1', () => {
    const r = rand([10_000], { generator: new RandomGenerator(5) }).dataSync();
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r)).toBeLessThan(1);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    expect(mean).toBeCloseTo(0.5, 1);

    // uniform() is < 1 but can be within 2⁻³² of it, which rounds to 1 in float32.
    class NearlyOne extends RandomGenerator {
      override uniform(): number {
        return 1 - 2 ** -32;
      }
    }
    expect(rand([2], { generator: new NearlyOne() }).dataSync()[0]).toBeLessThan(1);
  });

  it('randn has mean 0 and variance 1', () => {
    const r = randn([20_000], { generator: new RandomGenerator(6) }).dataSync();
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });

  it('a given generator gives the same tensor again', () => {
    const a = randn([5], { generator: new RandomGenerator(9) }).dataSync();
    const b = randn([5], { generator: new RandomGenerator(9) }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
