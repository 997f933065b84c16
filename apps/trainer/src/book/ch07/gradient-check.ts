/**
 * `ch07/gradient_check.py` (section 7.5): SimpleConvNet's backpropagation checked against the
 * numerical gradient, on a small net (input 1×10×10, 10 filters of 3×3, pad 0, stride 1, hidden
 * 10, output 10, weights of std 0.01), one random image X of shape (1, 1, 10, 10) and the label
 * T = [1]. For each parameter it prints `key mean|numerical − backprop|`, as the book's
 * `print(key, np.abs(grad_num[key] - grad[key]).mean())`.
 *
 * Precision: the book computes in float64 with h = 1e-4 and gets ~1e-10…1e-13. Here the network
 * is float32, and the book's small weights make the obvious port useless: with std 0.01 the
 * logits are ~1e-5 and the loss sits at ln 10 ≈ 2.3026, where float32 resolves only 2.4e-7. A
 * central difference of that loss needs h ≥ 1e-2 to rise above the rounding (2.4e-7 / 2h), but the
 * inputs of the ReLUs are only ~1e-3 (hidden layer) to ~1e-2 (convolution), so such a step carries
 * many of them across their kink and the difference is as large as the gradient (measured: mean
 * errors of 1e-3 for b2, whose gradient is 1e-3). So the numerical gradient here differentiates
 * the same loss with its last step, the softmax cross-entropy, computed in float64 from the
 * network's float32 logits: the logits are known to ~1e-12, so h = 1e-5 (below every ReLU input
 * but a rare one) is precise to ~1e-8. The bound below allows for that noise and for the odd
 * kink or max-pool switch.
 */
import { SimpleConvNet } from '@scratchnet/layers';
import { bookParamNames } from '@scratchnet/serialization';
import {
  manualSeed,
  noGrad,
  numericalGradient,
  rand,
  scope,
  type Tensor,
} from '@scratchnet/tensor';
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

/** The softmax cross-entropy of one sample's logits for label t, in float64. */
function crossEntropy64(logits: Float32Array, t: number): number {
  const max = Math.max(...logits);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - max);
  return max + Math.log(sum) - logits[t]!;
}

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

  // grad = network.gradient(X, T): backpropagation (autograd through the loss)
  network.zeroGrad();
  scope(() => network.loss(X, T).backward());
  const grad = Object.fromEntries(
    network.namedParameters().map(([name, p]) => [name, p.grad!.dataSync().slice()]),
  );

  // grad_num = network.numerical_gradient(X, T), parameter by parameter
  const loss64 = () =>
    crossEntropy64(
      noGrad(() => scope(() => network.apply(X).dataSync())),
      T[0]!,
    );
  const parameters = Object.fromEntries(network.namedParameters());
  for (const [key, { name }] of Object.entries(bookParamNames('simple-convnet'))) {
    const p = parameters[name]!;
    const original = p.detach();
    let gradNum: Tensor;
    try {
      gradNum = numericalGradient(
        (perturbed) => {
          p.assign(perturbed);
          return loss64();
        },
        original,
        H,
      );
    } finally {
      p.assign(original);
    }
    const a = gradNum.dataSync();
    const b = grad[name]!;
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    ctx.print(key, pyFloat(sum / a.length));
  }
  ctx.print(
    `(float32, h = 1e-5 on the loss taken in float64 from the float32 logits: each difference ` +
      `should be below ${pyFloat(FLOAT32_BOUND)}. The book computes in float64 with h = 1e-4 and ` +
      'gets ~1e-10…1e-13.)',
  );
}
