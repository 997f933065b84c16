import { describe, expect, it } from 'vitest';
import { activationHistograms, WEIGHT_INITS, weightInitStd } from './activation-histograms.js';

const values = 1000 * 100;
const sum = (c: number[]) => c.reduce((a, b) => a + b, 0);

describe('activationHistograms (the book’s weight_init_activation_histogram.py)', () => {
  it('uses the book’s scales: 1, 0.01, Xavier √(1/n), He √(2/n)', () => {
    expect(WEIGHT_INITS.map((init) => weightInitStd(init, 100))).toEqual([
      1,
      0.01,
      0.1,
      Math.sqrt(0.02),
    ]);
  });

  it('shows figures 6-10 and 6-11: std 1 saturates sigmoid at 0 and 1, std 0.01 collapses it to 0.5', () => {
    const wide = activationHistograms('std 1', 'sigmoid');
    const narrow = activationHistograms('std 0.01', 'sigmoid');
    expect(wide.layers).toHaveLength(5);
    expect([wide.lo, wide.hi]).toEqual([0, 1]);
    for (const counts of [...wide.layers, ...narrow.layers]) {
      expect(counts).toHaveLength(30);
      expect(sum(counts)).toBe(values); // sigmoid stays inside (0, 1)
    }
    const last = wide.layers[4]!;
    expect(last[0]! + last[29]!).toBeGreaterThan(0.5 * values);
    // Bins 14 and 15 hold [0.4667, 0.5333).
    expect(narrow.layers[4]![14]! + narrow.layers[4]![15]!).toBe(values);
  });

  it('shows figure 6-13: Xavier keeps sigmoid spread, no bin holding a fifth', () => {
    for (const counts of activationHistograms('Xavier', 'sigmoid').layers) {
      expect(Math.max(...counts)).toBeLessThan(0.2 * values);
      expect(counts.filter((c) => c > 0).length).toBeGreaterThan(10);
    }
  });

  it('shows figure 6-14: for ReLU std 0.01 shrinks layer by layer, He keeps the spread', () => {
    const small = activationHistograms('std 0.01', 'relu');
    const he = activationHistograms('He', 'relu');
    // Beyond the first bin [0, 1/30): the values that are not (almost) zero.
    const spread = (counts: number[]) => sum(counts) - counts[0]!;
    // Layer 1's outputs have std 0.1·0.58; layer 2's 0.007, all but a few below 1/30; then 0.
    expect(spread(small.layers[0]!)).toBeGreaterThan(0.2 * values);
    expect(spread(small.layers[1]!)).toBeLessThan(0.001 * values);
    for (const counts of small.layers.slice(2)) expect(spread(counts)).toBe(0);
    const heSpread = he.layers.map(spread);
    for (const s of heSpread) expect(s).toBeGreaterThan(0.2 * values); // half are 0, some above 1
    expect(Math.min(...heSpread) / Math.max(...heSpread)).toBeGreaterThan(0.8);
  });

  it('counts ReLU’s exact zeros and the values outside the range apart', () => {
    const he = activationHistograms('He', 'relu');
    for (const [l, counts] of he.layers.entries()) {
      const zeros = he.zeros[l]!;
      // About half of ReLU's outputs are 0; np.histogram counts them in the first bin.
      expect(zeros / values).toBeGreaterThan(0.4);
      expect(zeros / values).toBeLessThan(0.6);
      expect(counts[0]!).toBeGreaterThanOrEqual(zeros);
      expect(he.below[l]).toBe(0);
      expect(sum(counts) + he.above[l]!).toBe(values);
      expect(he.above[l]!).toBeGreaterThan(0);
    }
    const sigmoid = activationHistograms('Xavier', 'sigmoid');
    expect(sigmoid.zeros).toEqual([0, 0, 0, 0, 0]);
    expect(sigmoid.above).toEqual([0, 0, 0, 0, 0]);
  });

  it('counts tanh over (−1, 1), where its outputs lie', () => {
    const h = activationHistograms('Xavier', 'tanh');
    expect([h.lo, h.hi]).toEqual([-1, 1]);
    for (const counts of h.layers) expect(sum(counts)).toBe(values);
    // Symmetric about 0: as many below as above.
    const below = sum(h.layers[2]!.slice(0, 15));
    expect(Math.abs(below / values - 0.5)).toBeLessThan(0.01);
  });
});
