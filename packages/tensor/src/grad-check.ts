import { tensor } from './creation.js';
import { noGrad } from './grad-mode.js';
import { RandomGenerator } from './random.js';
import type { Tensor } from './tensor.js';

/**
 * The book's `numerical_gradient` (chapter 4.4): the central difference (f(x+h) − f(x−h)) / 2h for
 * each element of x, with f returning a scalar.
 *
 * @example
 * // f(x0, x1) = x0² + x1² at (3, 4) → about [6, 8]
 * numericalGradient((x) => x.square().sum().item(), tensor([3, 4]), 1e-2)
 */
export function numericalGradient(f: (x: Tensor) => number, x: Tensor, h = 1e-4): Tensor {
  const base = x.dataSync();
  const grad = new Float32Array(base.length);
  noGrad(() => {
    for (let i = 0; i < base.length; i++) {
      const original = base[i]!;
      base[i] = original + h;
      const plus = f(tensor(base, x.shape));
      base[i] = original - h;
      const minus = f(tensor(base, x.shape));
      base[i] = original;
      // The step actually taken, after rounding to float32, is what divides.
      const step = Math.fround(original + h) - Math.fround(original - h);
      grad[i] = (plus - minus) / step;
    }
  });
  return tensor(grad, x.shape);
}

/** Options of `gradCheck`. */
export interface GradCheckOptions {
  /** The finite-difference step; float32 needs a larger one than the book's float64 1e-4. */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Tolerance relative to the numerical gradient (default 1e-2). */
  rtol?: number;
  /** Seed of the random weighting that reduces a non-scalar output (default 1). */
  seed?: number;
}

/** What `gradCheck` found: the worst element, even when it passed. */
export interface GradCheckResult {
  /** The largest |analytic − numeric| − rtol·|numeric| over all elements (≤ atol passes). */
  worstExcess: number;
  /** Where that happened: input index and element index. */
  worst: {
    /** Index of the input in `inputs`. */
    input: number;
    /** Index of the element in that input, flat and row-major. */
    element: number;
    /** The gradient autograd computed there. */
    analytic: number;
    /** The central-difference estimate there. */
    numeric: number;
  };
}

/**
 * Compares the gradients autograd computes for `fn` with central differences, as
 * `torch.autograd.gradcheck`. A non-scalar output is reduced by a fixed random weighting, so
 * every output element is checked. Throws an Error naming the worst element on a mismatch.
 *
 * @param options - Step and tolerances: see {@link GradCheckOptions}.
 */
export function gradCheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  { eps = 1e-2, atol = 1e-3, rtol = 1e-2, seed = 1 }: GradCheckOptions = {},
): GradCheckResult {
  const probe = fn(...inputs.map((x) => x.detach()));
  const rng = new RandomGenerator(seed);
  const weightValues = Float32Array.from({ length: probe.size }, () => rng.uniform() + 0.5);
  const weights = tensor(weightValues, probe.shape);
  const scalar = (...xs: Tensor[]) =>
    fn(...xs)
      .mul(weights)
      .sum();

  const leaves = inputs.map((x) => tensor(x.dataSync(), x.shape, { requiresGrad: true }));
  scalar(...leaves).backward();

  let result: GradCheckResult = {
    worstExcess: Number.NEGATIVE_INFINITY,
    worst: { input: -1, element: -1, analytic: 0, numeric: 0 },
  };
  inputs.forEach((x, inputIndex) => {
    const analytic = leaves[inputIndex]!.grad?.dataSync() ?? new Float32Array(x.size);
    const numeric = numericalGradient(
      (xi) => scalar(...inputs.map((other, j) => (j === inputIndex ? xi : other.detach()))).item(),
      x,
      eps,
    ).dataSync();
    for (let i = 0; i < x.size; i++) {
      const excess = Math.abs(analytic[i]! - numeric[i]!) - rtol * Math.abs(numeric[i]!);
      if (excess > result.worstExcess) {
        result = {
          worstExcess: excess,
          worst: { input: inputIndex, element: i, analytic: analytic[i]!, numeric: numeric[i]! },
        };
      }
    }
  });
  if (result.worstExcess > atol) {
    const { input, element, analytic, numeric } = result.worst;
    throw new Error(
      `gradCheck: input ${input}, element ${element}: autograd gives ${analytic}, central differences give ${numeric}`,
    );
  }
  return result;
}
