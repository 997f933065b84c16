import { describe, expect, it } from 'vitest';
import { kaiserWindow, smoothCurve } from './smooth-curve.js';

describe('smoothCurve (the book’s smooth_curve)', () => {
  it('gives NumPy’s values, the mirrored ends included', () => {
    // x[i] = (7i mod 5) + i/4; expected from the book's smooth_curve run in NumPy 1.x.
    const x = Array.from({ length: 16 }, (_, i) => ((i * 7) % 5) + i / 4);
    const numpy = [
      2.520140024183362, 2.611476008582012, 2.728928931356604, 2.869930436632843, 3.027080581839011,
      3.18889101097772, 3.5, 3.8111089890222796, 3.946696831186686, 4.303303168813314,
      4.43889101097772, 4.631998358615636, 4.804868028045019, 4.796724959651947, 5.022003201104128,
      5.058028471103397,
    ];
    const smoothed = smoothCurve(x);
    expect(smoothed).toHaveLength(16);
    for (const [i, v] of numpy.entries()) expect(smoothed[i]).toBeCloseTo(v, 12);
  });

  it('uses NumPy’s Kaiser window and keeps a constant curve constant', () => {
    const numpy = [
      0.4386762798370488, 0.6113943543616491, 0.7676749968275236, 0.8921614338542881,
      0.9723298008693713, 1.0, 0.9723298008693713, 0.8921614338542881, 0.7676749968275236,
      0.6113943543616491, 0.4386762798370488,
    ];
    for (const [i, w] of kaiserWindow(11, 2).entries()) expect(w).toBeCloseTo(numpy[i]!, 14);
    for (const v of smoothCurve(new Array(30).fill(0.25))) expect(v).toBeCloseTo(0.25, 14);
  });

  it('returns a curve shorter than the window as it is', () => {
    expect(smoothCurve([3, 1, 2])).toEqual([3, 1, 2]);
  });
});
