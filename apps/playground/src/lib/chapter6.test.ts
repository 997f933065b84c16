import { describe, expect, it } from 'vitest';
import { activationHistograms, BOOK_RACE_LR, bowl, RACE_OPTIMIZERS, racePath } from './chapter6.js';

describe('the optimizer race', () => {
  it('matches one hand-computed SGD step and gets every optimizer closer to the minimum', () => {
    const sgd = racePath('SGD', 0.95, 1);
    // ∇f(-7, 2) = (-0.7, 4): one step of 0.95 gives (-6.335, -1.8).
    expect(sgd[1]![0]).toBeCloseTo(-6.335, 5);
    expect(sgd[1]![1]).toBeCloseTo(-1.8, 5);
    for (const name of RACE_OPTIMIZERS) {
      const path = racePath(name, BOOK_RACE_LR[name]);
      expect(path).toHaveLength(31);
      const [x, y] = path[30]!;
      expect(bowl(x, y)).toBeLessThan(bowl(-7, 2) / 5);
    }
  });
});

describe('activation histograms', () => {
  it('shows the book: std 1 saturates sigmoid, std 0.01 collapses it to 0.5', () => {
    const wide = activationHistograms('std 1', 'sigmoid');
    const narrow = activationHistograms('std 0.01', 'sigmoid');
    const last = (h: { layers: number[][] }) => h.layers[4]!;
    const edges = (c: number[]) => c[0]! + c[c.length - 1]!;
    expect(edges(last(wide))).toBeGreaterThan(0.5 * 100_000);
    expect(last(narrow)[15]! + last(narrow)[14]!).toBeGreaterThan(0.99 * 100_000);
    expect(wide.layers).toHaveLength(5);
  });
});
