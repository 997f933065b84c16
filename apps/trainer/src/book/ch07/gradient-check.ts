/**
 * `ch07/gradient_check.py` (section 7.5): SimpleConvNet's backpropagation checked against the
 * numerical gradient, on a small net (input 1×10×10, 10 filters of 3×3, pad 0, stride 1, hidden
 * 10, output 10, weights of std 0.01), one random image X of shape (1, 1, 10, 10) and the label
 * T = [1]. For each parameter it prints `key mean|numerical − backprop|`, as the book's
 * `print(key, np.abs(grad_num[key] - grad[key]).mean())`.
 *
 * Precision. The book computes in float64 with h = 1e-4. Its script, run here (seeds 0–4),
 * prints W2 and W3 ~1e-11…1e-10 and b3 1.8e-7 (its loss adds 1e-7 inside the log, which
 * backpropagation does not see), but W1 8e-8…5e-6, b1 3e-10…1.4e-5 and b2 2e-9…1.4e-4: a step
 * of 1e-4 carries some ReLU inputs (~1e-4 here) across their kink or moves a max-pool's argmax.
 * Here the network is float32, and the book's small weights make the obvious port useless:
 * with std 0.01 the logits are ~1e-5 and the loss sits at ln 10 ≈ 2.3026, where float32
 * resolves only 2.4e-7, which would need h ≥ 1e-2, far across the kinks. So the loss is taken in
 * float64 from the network's float32 logits (`lossPrecision: 'float64'`): the logits are known to
 * ~1e-12, so h = 1e-5 (below every ReLU input but a rare one) is precise to ~1e-8. The bound
 * below allows for that noise and for the odd kink or max-pool switch.
 */
import { SimpleConvNet } from '@scratchnet/layers';
import { bookParamNames } from '@scratchnet/serialization';
import { manualSeed, rand } from '@scratchnet/tensor';
import { gradientCheck } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

/** The step of the central difference: below the ReLU inputs (~1e-3), above float32's noise. */
export const H = 1e-5;

/**
 * The float32 bound on each mean difference: the logits (~1e-5) carry ~1e-12 of rounding, which
 * over 2h = 2e-5 is ~1e-7 per value at worst; measured means are 1e-9…4e-8, up to 4e-7 when one
 * value's step crosses a kink (seeds 0–3).
 */
export const FLOAT32_BOUND = 1e-6;

export function run(ctx: BookContext): void {
  manualSeed(0);
  const network = new SimpleConvNet({
    inputDim: [1, 10, 10],
    filterNum: 10,
    filterSize: 3,
    pad: 0,
    stride: 1,
    hiddenSize: 10,
    outputSize: 10,
    weightInitStd: 0.01,
  });
  const X = rand([1, 1, 10, 10]); // np.random.rand(100).reshape((1, 1, 10, 10))
  const T = [1];

  // grad_num = network.numerical_gradient(X, T); grad = network.gradient(X, T)
  const differences = gradientCheck(network, X, T, { lossPrecision: 'float64', h: H });
  const bookKey = Object.fromEntries(
    Object.entries(bookParamNames('simple-convnet')).map(([key, { name }]) => [name, key]),
  );
  for (const { name, meanAbsDifference } of differences) {
    ctx.print(bookKey[name] ?? name, pyFloat(meanAbsDifference));
  }
  ctx.print(
    `(float32, h = 1e-5 on the loss taken in float64 from the float32 logits: each difference ` +
      `should be below ${pyFloat(FLOAT32_BOUND)}. The book computes all in float64 with h = 1e-4 ` +
      'and prints 1e-11 (W2, W3) to 1.4e-4 (b2, where a step crosses a kink).)',
  );
  network.dispose();
  X.dispose();
}
