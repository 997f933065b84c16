/**
 * `ch05/gradient_check.py` (section 5.7.3): backpropagation checked against the numerical
 * gradient of chapter 4, on the first three MNIST training images with chapter 5's TwoLayerNet
 * 784-50-10 (affine → ReLU → affine, weights 0.01 · N(0, 1)). For each parameter the script
 * prints the mean |backprop − numerical|.
 *
 * Precision. The book computes in float64 with h = 1e-4; its script, run here (seeds 0–2),
 * prints W1 4.5e-10, b1 2.4e-9…2.8e-9, W2 6.1e-9…6.9e-9 and b2 1.4e-7 (its loss adds 1e-7 inside
 * the log, which backpropagation does not see). Here the network is float32. Its loss (~2.3) is
 * known only to ~2.4e-7, which would need a step of 1e-2, and a step that large carries ReLU
 * inputs across their kink. So the loss is taken in float64 from the network's float32 logits
 * (`lossPrecision: 'float64'`): the logits (~1e-2) are known to ~1e-9, and h = 1e-3 keeps both
 * that noise and the kinks small.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { TwoLayerNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { gradientCheck } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

/** The central difference's step. */
export const H = 1e-3;

/**
 * The float32 bound on each mean difference: the logits' rounding (~1e-9) over 2h = 2e-3 is
 * ~1e-6 on a single value at worst; measured means are 1e-8…4e-8.
 */
export const FLOAT32_BOUND = 1e-6;

/** The book's parameter names for the network's: W1 is fc1.weight (transposed), and so on. */
const BOOK_KEYS: Record<string, string> = {
  'fc1.weight': 'W1',
  'fc1.bias': 'b1',
  'fc2.weight': 'W2',
  'fc2.bias': 'b2',
};

export function run(ctx: BookContext): void {
  // load_mnist(normalize=True, one_hot_label=True), first three training images
  const { train } = loadMnist({ normalize: true, oneHotLabel: true });
  const { x: xBatch, y: tBatch } = train.dataset.batch([0, 1, 2]);

  manualSeed(0);
  // --quick: 3 hidden units instead of 50, every kind of parameter at a sixteenth of the cost.
  const hiddenSize = ctx.quick ? 3 : 50;
  const network = new TwoLayerNet({
    inputSize: 784,
    hiddenSize,
    outputSize: 10,
    activation: 'relu',
  });

  // grad_numerical = network.numerical_gradient(...); grad_backprop = network.gradient(...)
  const differences = gradientCheck(network, xBatch, tBatch, { lossPrecision: 'float64', h: H });
  for (const { name, meanAbsDifference } of differences) {
    ctx.print(`${BOOK_KEYS[name] ?? name}:${pyFloat(meanAbsDifference)}`);
  }
  ctx.print(
    `(784-${hiddenSize}-10, ReLU; float32 logits, the loss in float64, h = 1e-3: each difference should be below ${pyFloat(FLOAT32_BOUND)}. ` +
      'The book computes all in float64 with h = 1e-4 and prints 4.5e-10 (W1) to 1.4e-7 (b2).)',
  );
  network.dispose();
  xBatch.dispose();
  tBatch.dispose();
}
