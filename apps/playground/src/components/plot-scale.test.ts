import { activationHistograms } from '@scratchnet/training';
import { describe, expect, it } from 'vitest';
import {
  formatTick,
  histogramBars,
  histogramScale,
  niceTicks,
  nonEmptyBars,
} from './plot-scale.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 2000, 4)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(-10, 10, 4)).toEqual([-10, -5, 0, 5, 10]);
    expect(niceTicks(0, 2.5, 5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(1, 1)).toEqual([1]);
  });

  it('labels ticks briefly', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(1500)).toBe('1500');
    expect(formatTick(1e-4)).toBe('1e-4');
    expect(formatTick(0)).toBe('0');
  });
});

describe('histogram scaling', () => {
  it('takes ReLU’s exact zeros out of the first bin, so its other bars are not flattened', () => {
    const he = activationHistograms('He', 'relu');
    const rows = he.layers.map((counts, l) =>
      histogramBars(counts, {
        zeros: he.zeros[l],
        below: he.below[l],
        above: he.above[l],
        lo: he.lo,
        hi: he.hi,
      }),
    );
    const scale = histogramScale(rows);
    // Scaled to the spike at 0 (about half the 100,000 values), every other bar was below 5%
    // of the height: one bar per panel. Without it the row's tallest bar is a bin of the spread.
    const spike = Math.max(...he.layers.map((c) => c[0]!));
    expect(spike).toBeGreaterThan(40_000);
    expect(scale).toBeLessThan(spike / 10);
    for (const bars of rows) {
      expect(nonEmptyBars(bars)).toBeGreaterThan(20);
      const tall = bars.bins.filter((c) => c > 0.2 * scale).length;
      expect(tall).toBeGreaterThan(10);
      expect(bars.zeros).toBeGreaterThan(scale); // drawn cut, its share written
      expect(bars.total).toBe(100_000);
    }
  });

  it('leaves sigmoid alone: no zeros, the row scaled to its tallest bin', () => {
    const h = activationHistograms('std 0.01', 'sigmoid');
    const rows = h.layers.map((counts, l) =>
      histogramBars(counts, { zeros: h.zeros[l], lo: h.lo, hi: h.hi }),
    );
    expect(rows.map((r) => r.bins)).toEqual(h.layers);
    expect(histogramScale(rows)).toBe(Math.max(...h.layers.flat()));
  });

  it('takes the zeros from the bin holding 0 when the range is (−1, 1)', () => {
    const bars = histogramBars([1, 2, 10, 3], { zeros: 6, lo: -1, hi: 1 });
    expect(bars.bins).toEqual([1, 2, 4, 3]);
  });
});
