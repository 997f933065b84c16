/**
 * `ch06/batch_norm_gradient_check.py` (section 6.3): the gradients of MultiLayerNetExtend
 * 784-100-100-10 with batch normalisation, by backpropagation and numerically, compared parameter
 * by parameter: the mean |backprop − numerical| for each, under the book's names (W1, b1, gamma1,
 * beta1, …).
 *
 * Two changes to make the check meaningful in float32, both reported in the last line:
 *
 * - Ten images, not the book's one. On one image batch normalisation makes every value 0
 *   (x − mean(x) = 0), so each layer outputs its β whatever came in: every gradient before the
 *   last batch norm is exactly 0 both ways, and β2 = 0 sits on ReLU's kink, where the central
 *   difference sees half a slope and backpropagation none. The book's script, run here in
 *   float64 (seeds 0–2), prints 0.0 for every parameter but beta2 (0.049…0.056, that kink) and
 *   b3 (1.8e-7, the 1e-7 its loss adds inside the log). The library's BatchNorm1d refuses a
 *   batch of one in training, as PyTorch does. On
 *   two images every normalised value is ±1 and the loss jumps where a difference changes sign;
 *   on three, a unit's σ can be small enough that h = 1e-2 is far from linear (W1 off by 5e-5 on
 *   average). Ten images keep each one's pull on the batch statistics small.
 * - Sigmoid, not ReLU, as ch05/gradient-check: float32 needs h = 1e-2, and a step that large
 *   crosses ReLU's kink for the units whose input lies near 0 (with ReLU W1 and beta1 are off by
 *   3e-4 on average).
 *
 * Precision: float32, h = 1e-2 (`numericalGradients`): see FLOAT32_BOUND.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { MultiLayerNetExtend } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { gradientCheck } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

/**
 * The float32 bound on each mean difference: the loss (~2.3) is known to a few ulps (2.4e-7
 * each), which divided by 2h = 0.02 is ~1e-5 on a single value at worst. Sampled on the full
 * 784-100-100-10 net (400 values of each parameter) the means are 3e-6…6e-6 on the cpu backend and
 * 4e-6…9e-6 on wasm (the biases before a batch norm, whose gradient is exactly 0, ~1e-9), the
 * worst single values 3e-5.
 */
export const FLOAT32_BOUND = 2e-5;

/** fc1.weight → W1, bn1.weight → gamma1, bn1.bias → beta1, … */
function bookKey(name: string): string {
  const [layer, kind] = name.split('.') as [string, string];
  const index = layer.replace(/^\D+/, '');
  if (layer.startsWith('fc')) return `${kind === 'weight' ? 'W' : 'b'}${index}`;
  return `${kind === 'weight' ? 'gamma' : 'beta'}${index}`;
}

export function run(ctx: BookContext): void {
  // load_mnist(normalize=True, one_hot_label=True)
  const { train } = loadMnist({ normalize: true, oneHotLabel: true });
  manualSeed(0);
  // --quick: hidden layers of 5 instead of 100 (every kind of parameter, 1/20 of the values).
  const hidden = ctx.quick ? [5, 5] : [100, 100];
  const network = new MultiLayerNetExtend({
    inputSize: 784,
    hiddenSizeList: hidden,
    outputSize: 10,
    activation: 'sigmoid', // the book: ReLU
    useBatchnorm: true,
  });
  const images = 10; // the book: x_train[:1]
  const { x: xBatch, y: tBatch } = train.dataset.batch(Array.from({ length: images }, (_, i) => i));

  for (const { name, meanAbsDifference } of gradientCheck(network, xBatch, tBatch)) {
    ctx.print(`${bookKey(name)}:${pyFloat(meanAbsDifference)}`);
  }
  ctx.print(
    `(784-${hidden.join('-')}-10, sigmoid, batch norm, ${images} images; float32 with h = 1e-2: each difference should be below ${pyFloat(FLOAT32_BOUND)}. ` +
      'The book computes in float64 on one image with ReLU; see the comment at the top.)',
  );
}
