/** The Kaiser window's length and shape parameter in the book's `smooth_curve`. */
const WINDOW_LENGTH = 11;
const BETA = 2;

/** I₀, the modified Bessel function of the first kind of order 0, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** NumPy's `np.kaiser(length, beta)`. */
export function kaiserWindow(length: number, beta: number): number[] {
  if (length === 1) return [1];
  return Array.from({ length }, (_, n) => {
    const r = (2 * n) / (length - 1) - 1;
    return besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
  });
}

/**
 * The book's `smooth_curve` (`common/util.py`), which its chapter-6 loss figures (6-9, 6-15) are
 * drawn with: a moving average weighted by a Kaiser window (length 11, β 2), with the ends
 * mirrored (NumPy's `r_[x[window-1:0:-1], x, x[-1:-window:-1]]`), one value out per value in.
 * A curve shorter than the window is returned as it is (the book's would come back empty).
 *
 * @example smoothCurve(losses) // as long as losses, for plotting beside them
 */
export function smoothCurve(values: readonly number[]): number[] {
  const n = values.length;
  if (n < WINDOW_LENGTH) return [...values];
  const half = (WINDOW_LENGTH - 1) / 2;
  const padded = [
    ...values.slice(1, WINDOW_LENGTH).reverse(),
    ...values,
    ...values.slice(n - WINDOW_LENGTH + 1).reverse(),
  ];
  const weights = kaiserWindow(WINDOW_LENGTH, BETA);
  const total = weights.reduce((a, b) => a + b, 0);
  // np.convolve(w / w.sum(), s, 'valid') gives n + 10 values; the book keeps [5 : len − 5].
  return Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < WINDOW_LENGTH; j++) sum += weights[j]! * padded[i + half + j]!;
    return sum / total;
  });
}
