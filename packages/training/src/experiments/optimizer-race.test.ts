import { describe, expect, it } from 'vitest';
import { BOOK_RACE_LR, bowl, RACE_OPTIMIZERS, racePath } from './optimizer-race.js';

describe('racePath (the book’s optimizer_compare_naive.py, figure 6-8)', () => {
  // ∇f(x, y) = (x/10, 2y); at the start (−7, 2) it is (−0.7, 4).
  it('takes SGD’s steps: W ← W − 0.95·∇f', () => {
    const [, p1, p2] = racePath('SGD', 0.95, 2);
    expect(p1![0]).toBeCloseTo(-7 + 0.95 * 0.7, 5); // −6.335
    expect(p1![1]).toBeCloseTo(2 - 0.95 * 4, 5); // −1.8
    expect(p2![0]).toBeCloseTo(-6.335 + 0.95 * 0.6335, 5);
    expect(p2![1]).toBeCloseTo(-1.8 + 0.95 * 3.6, 5); // 1.62: y flips sign every step
  });

  it('takes Momentum’s steps: v ← 0.9v − 0.1·∇f, W ← W + v', () => {
    const [, p1, p2] = racePath('Momentum', 0.1, 2);
    // v1 = (0.07, −0.4); at (−6.93, 1.6) the gradient is (−0.693, 3.2).
    expect(p1![0]).toBeCloseTo(-6.93, 5);
    expect(p1![1]).toBeCloseTo(1.6, 5);
    // v2 = 0.9·v1 − 0.1·(−0.693, 3.2) = (0.1323, −0.68)
    expect(p2![0]).toBeCloseTo(-6.93 + 0.1323, 5);
    expect(p2![1]).toBeCloseTo(1.6 - 0.68, 5);
  });

  it('takes AdaGrad’s and Adam’s first steps: the size of lr in every coordinate', () => {
    // AdaGrad: h = g², so lr·g/√h = 1.5·sign(g).
    const [, a1, a2] = racePath('AdaGrad', 1.5, 2);
    expect(a1![0]).toBeCloseTo(-5.5, 5);
    expect(a1![1]).toBeCloseTo(0.5, 5);
    // Then g = (−0.55, 1): h = (0.49 + 0.3025, 16 + 1).
    expect(a2![0]).toBeCloseTo(-5.5 + (1.5 * 0.55) / Math.sqrt(0.7925), 5);
    expect(a2![1]).toBeCloseTo(0.5 - 1.5 / Math.sqrt(17), 5);
    // Adam: lr·√(1 − β2)/(1 − β1) · 0.1g/√(0.001g²) = lr·sign(g) on the first step.
    const [, d1] = racePath('Adam', 0.3, 1);
    expect(d1![0]).toBeCloseTo(-6.7, 5);
    expect(d1![1]).toBeCloseTo(1.7, 5);
  });

  it('gets every optimizer close to the minimum in 30 steps at the book’s rates', () => {
    for (const name of RACE_OPTIMIZERS) {
      const path = racePath(name, BOOK_RACE_LR[name]);
      expect(path).toHaveLength(31);
      expect(path[0]).toEqual([-7, 2]);
      const [x, y] = path[30]!;
      expect(bowl(x, y), name).toBeLessThan(bowl(-7, 2) / 5);
    }
  });
});
