/**
 * `ch05/gradient_check.py` (section 5.7.3): backpropagation checked against the numerical
 * gradient of chapter 4, on the first three MNIST training images with TwoLayerNet 784-50-10.
 * For each parameter the script prints the mean |backprop − numerical|.
 *
 * Precision: the book computes in float64 and gets 1e-10…1e-13. Here the loss is float32, known
 * to ~1e-7, so the numerical gradient needs a step h of 1e-2 (not 1e-4: the loss error divided by
 * 2h would swamp the small gradients) and agrees to ~1e-6. With h = 1e-2 a ReLU unit whose input
 * lies within 1e-2 of 0 is differentiated across its kink, which spoils the check (means up to
 * 8e-5), so this uses chapter 4's sigmoid net instead of chapter 5's ReLU.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { TwoLayerNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

/**
 * The float32 bound on each mean difference: a loss of ~2.3 known to a few ulps (2.4e-7 each),
 * divided by 2h = 0.02, is ~1e-5 per value at worst; measured means are 2e-6…6e-6.
 */
export const FLOAT32_BOUND = 2e-5;

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
  const network = new TwoLayerNet({ inputSize: 784, hiddenSize, outputSize: 10 });

  const gradNumerical = network.numericalGradient(xBatch, tBatch);
  const gradBackprop = network.gradient(xBatch, tBatch);

  for (const [name, numerical] of Object.entries(gradNumerical)) {
    const a = gradBackprop[name]!.dataSync();
    const b = numerical.dataSync();
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    const diff = sum / a.length; // np.average(np.abs(grad_backprop[key] - grad_numerical[key]))
    ctx.print(`${BOOK_KEYS[name] ?? name}:${pyFloat(diff)}`);
  }
  ctx.print(
    `(784-${hiddenSize}-10, sigmoid; float32 with h = 1e-2: each difference should be below ${pyFloat(FLOAT32_BOUND)}. ` +
      'The book computes in float64 and gets ~1e-10…1e-13; float32 gets ~1e-6.)',
  );
}
