import { ones, RandomGenerator, rand, randn, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { checkLayerCase, loadFixture } from './testing/golden.js';

const { cases } = loadFixture('dropout.json');

describeEachBackend('Dropout in eval mode against nn.Dropout', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s (inverted: the identity)', (_name, c) => {
    checkLayerCase(c, new Dropout((c.options as { p: number }).p, 'inverted'));
  });
});

describeEachBackend('Dropout', () => {
  const size = 20_000;

  it('inverted: keeps about 1 − p of the values, each scaled by 1/(1 − p) (to float32 rounding)', () => {
    const p = 0.3;
    const x = randn([size], { generator: new RandomGenerator(1) });
    const y = new Dropout(p, 'inverted', new RandomGenerator(2)).forward(x).dataSync();
    const xs = x.dataSync();
    let kept = 0;
    for (let i = 0; i < size; i++) {
      if (y[i] === 0) continue;
      kept++;
      expect(Math.abs(y[i]! - xs[i]! / (1 - p))).toBeLessThanOrEqual(1e-6 * Math.abs(xs[i]!));
    }
    // Binomial(20000, 0.7): standard deviation ≈ 0.003 of the count.
    expect(kept / size).toBeGreaterThan(0.69);
    expect(kept / size).toBeLessThan(0.71);
  });

  it('keeps a value where the generator’s uniform draw exceeds p (the book’s rand > ratio)', () => {
    const p = 0.5;
    const draws = rand([1000], { generator: new RandomGenerator(9) }).dataSync();
    const y = new Dropout(p, 'book', new RandomGenerator(9)).forward(ones([1000])).dataSync();
    for (let i = 0; i < 1000; i++) expect(y[i]).toBe(draws[i]! > p ? 1 : 0);
  });

  it('book: keeps values unscaled while training and multiplies by (1 − p) in eval', () => {
    const p = 0.25;
    const x = tensor([1, -2, 3, 0.5]);
    const dropout = new Dropout(p, 'book', new RandomGenerator(4));
    const trained = dropout.forward(x).dataSync();
    trained.forEach((v, i) => {
      expect([0, x.dataSync()[i]]).toContain(v);
    });
    dropout.eval();
    expect(Array.from(dropout.forward(x).dataSync())).toEqual([0.75, -1.5, 2.25, 0.375]);
  });

  it('book: the training mean matches the eval output on average', () => {
    const p = 0.4;
    const dropout = new Dropout(p, 'book', new RandomGenerator(5));
    const y = dropout.forward(ones([size]));
    expect(y.mean().item()).toBeCloseTo(1 - p, 2);
    expect(
      dropout
        .eval()
        .forward(ones([3]))
        .dataSync()[0],
    ).toBeCloseTo(1 - p, 6);
  });

  it('passes gradients only through the kept values', () => {
    const x = ones([8], { requiresGrad: true });
    const y = new Dropout(0.5, 'inverted', new RandomGenerator(3)).forward(x);
    y.sum().backward();
    expect(new Set(y.dataSync())).toEqual(new Set([0, 2]));
    expect(Array.from(x.grad!.dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('is the identity with p = 0 and rejects p outside [0, 1)', () => {
    const x = tensor([1, 2, 3]);
    expect(new Dropout(0).forward(x).toArray()).toEqual([1, 2, 3]);
    expect(() => new Dropout(1)).toThrow(/p must be in \[0, 1\)/);
    expect(() => new Dropout(-0.1)).toThrow(RangeError);
  });
});
