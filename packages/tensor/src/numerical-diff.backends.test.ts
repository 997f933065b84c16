import { expect, it } from 'vitest';
import { gradientDescent, numericalDiff, numericalGradientOf } from './numerical-diff.js';
import { describeEachBackend } from './testing/index.js';

/** The book's function_1 (section 4.3.2): 0.01x² + 0.1x, written as the book (0.01 * x**2). */
const function1 = (x: number) => 0.01 * x ** 2 + 0.1 * x;
/** The book's function_2 (section 4.3.3): x0² + x1². */
const function2 = (x: Float64Array) => x[0]! ** 2 + x[1]! ** 2;

/** |actual − expected| ≤ rtol·|expected|, elementwise. */
const closeRelative = (actual: ArrayLike<number>, expected: number[], rtol: number) => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(rtol * Math.abs(e));
  });
};

describeEachBackend('numericalDiff (the book’s numerical_diff, 4.3.2)', () => {
  it('gives the book’s derivatives of 0.01x² + 0.1x at 5 and 10 (true values 0.2 and 0.3)', () => {
    const at5 = numericalDiff(function1, 5);
    const at10 = numericalDiff(function1, 10);
    expect(Math.abs(at5 - 0.2)).toBeLessThan(1e-9);
    expect(Math.abs(at10 - 0.3)).toBeLessThan(1e-9);
    // The very digits Python prints: the same float64 operations in the same order.
    expect(at5).toBe(0.1999999999990898);
    expect(at10).toBe(0.2999999999986347);
  });

  it('uses h = 1e-4 by default; another h gives another rounding error', () => {
    expect(numericalDiff(function1, 5, 1e-4)).toBe(numericalDiff(function1, 5));
    expect(numericalDiff(function1, 5, 1e-2)).not.toBe(numericalDiff(function1, 5));
    // The book's warning (4.3.1): h = 1e-50 vanishes in float64, and the difference is 0.
    expect(numericalDiff(function1, 5, 1e-50)).toBe(0);
  });
});

describeEachBackend('numericalGradientOf (the book’s numerical_gradient, 4.4)', () => {
  it.each([
    [
      [3, 4],
      [6, 8],
    ],
    [
      [0, 2],
      [0, 4],
    ],
    [
      [3, 0],
      [6, 0],
    ],
  ])('gives the gradient of x0² + x1² at %j as the book: %j', (point, expected) => {
    const grad = numericalGradientOf(function2, point);
    expect(grad).toBeInstanceOf(Float64Array);
    expected.forEach((e, i) => {
      expect(Math.abs(grad[i]! - e)).toBeLessThan(1e-4);
    });
  });

  it('leaves the caller’s point unchanged', () => {
    const point = [3, 4];
    numericalGradientOf(function2, point);
    expect(point).toEqual([3, 4]);
  });
});

describeEachBackend('gradientDescent (the book’s gradient_descent, 4.4.1)', () => {
  it('reaches the minimum of x0² + x1² from (−3, 4) with lr 0.1 in 100 steps', () => {
    const init = [-3, 4];
    const { x, history } = gradientDescent(function2, init, { lr: 0.1, stepNum: 100 });
    expect(Math.abs(x[0]!)).toBeLessThan(1e-9);
    expect(Math.abs(x[1]!)).toBeLessThan(1e-9);
    // The book prints array([-6.11110793e-10,  8.14814391e-10]).
    closeRelative(x, [-6.11110793e-10, 8.14814391e-10], 1e-8);
    // x_history: the point before each step, starting at init_x, without the final point.
    expect(history).toHaveLength(100);
    expect([...history[0]!]).toEqual([-3, 4]);
    expect(history[1]![0]).toBeCloseTo(-3 * 0.8, 9);
    expect(init).toEqual([-3, 4]);
  });

  it('diverges with lr 10 to the book’s (−2.58983747e13, −1.29524862e12)', () => {
    // x ← −19x would reach 10^128; it stops once x is so large that f(x ± h) round to the same
    // float64, the central difference is 0 and x stays put: hence the book's "only" ~1e13.
    const { x } = gradientDescent(function2, [-3, 4], { lr: 10 });
    closeRelative(x, [-2.58983747e13, -1.29524862e12], 1e-8);
  });

  it('barely moves with lr 1e-10: the book’s (−2.99999994, 3.99999992)', () => {
    const { x } = gradientDescent(function2, [-3, 4], { lr: 1e-10 });
    closeRelative(x, [-2.99999994, 3.99999992], 1e-9);
    expect(x[0]).not.toBe(-3);
  });

  it('defaults to the book’s lr 0.01 and 100 steps', () => {
    const { x, history } = gradientDescent(function2, [-3, 4]);
    expect(history).toHaveLength(100);
    // Each step multiplies x by (1 − 2·0.01) = 0.98: (−3, 4)·0.98¹⁰⁰.
    closeRelative(x, [-3 * 0.98 ** 100, 4 * 0.98 ** 100], 1e-6);
  });
});
