/**
 * Chapter 4's numerical differentiation on plain numbers, in float64 as the book's NumPy code:
 * `numerical_diff` (4.3.1), `numerical_gradient` for a function of a vector (4.4) and
 * `gradient_descent` (4.4.1, `ch04/gradient_method.py`). For tensors (float32) use
 * `numericalGradient` and `gradCheck` from `grad-check.ts`.
 */

/**
 * The book's `numerical_diff(f, x)` (section 4.3.1): the central difference
 * (f(x + h) − f(x − h)) / 2h, with the book's h = 1e-4.
 *
 * @example
 * numericalDiff((x) => 0.01 * x ** 2 + 0.1 * x, 5); // 0.1999999999990898 (exactly 0.2)
 */
export function numericalDiff(f: (x: number) => number, x: number, h = 1e-4): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * The book's `numerical_gradient(f, x)` for a point given as plain numbers (section 4.4,
 * `_numerical_gradient_no_batch` in `ch04/gradient_2d.py`): the central difference for each
 * coordinate in turn. As in the book, `f` receives one working copy of the point with a single
 * coordinate moved by ±h (so it must not keep the array); the caller's `x` is never changed.
 *
 * @example
 * numericalGradientOf((x) => x[0]! ** 2 + x[1]! ** 2, [3, 4]); // ≈ [6, 8]
 */
export function numericalGradientOf(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h = 1e-4,
): Float64Array {
  const point = Float64Array.from(x);
  const grad = new Float64Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const original = point[i]!;
    point[i] = original + h;
    const plus = f(point);
    point[i] = original - h;
    const minus = f(point);
    point[i] = original;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/** Options of `gradientDescent`, the book's keyword arguments. */
export interface GradientDescentOptions {
  /** The learning rate, the book's `lr` (0.01). */
  lr?: number;
  /** How many steps, the book's `step_num` (100). */
  stepNum?: number;
}

/** What `gradientDescent` returns: where it ended and the path it took there. */
export interface GradientDescentResult {
  /** The point after the last step. */
  x: Float64Array;
  /**
   * The point before each step: `stepNum` points, the first being the start, as the book's
   * `x_history` (which does not include the final point).
   */
  history: Float64Array[];
}

/**
 * The book's `gradient_descent(f, init_x, lr, step_num)` (section 4.4.1, `ch04/gradient_method.py`):
 * `stepNum` steps of x ← x − lr·∇f(x), with the gradient taken numerically by
 * `numericalGradientOf`. `initX` is copied, not changed (the book's updates `init_x` in place).
 *
 * @param options - `lr` and `stepNum`, the book's keyword arguments.
 *
 * @example
 * const { x } = gradientDescent((x) => x[0]! ** 2 + x[1]! ** 2, [-3, 4], { lr: 0.1 });
 * // x ≈ [-6.1e-10, 8.1e-10], the book's result: the minimum at (0, 0)
 */
export function gradientDescent(
  f: (x: Float64Array) => number,
  initX: ArrayLike<number>,
  { lr = 0.01, stepNum = 100 }: GradientDescentOptions = {},
): GradientDescentResult {
  const x = Float64Array.from(initX);
  const history: Float64Array[] = [];
  for (let step = 0; step < stepNum; step++) {
    history.push(x.slice());
    const grad = numericalGradientOf(f, x);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! - lr * grad[i]!;
  }
  return { x, history };
}
