/**
 * `ch03/neuralnet_mnist.py` (section 3.6.2): inference with the book's trained 784-50-100-10
 * sigmoid network (`sample_weight.pkl`), one test image at a time. The book prints
 * Accuracy:0.9352 over the 10,000 test images; `--quick` scores the first 1,000.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { sigmoid, softmax, type Tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { bookWeightsPath, loadBookPickle } from '../weights.js';

export function getData(ctx: BookContext): { x: Tensor; t: Uint8Array } {
  // load_mnist(normalize=True, flatten=True, one_hot_label=False): the test set
  const { test } = loadMnist({ normalize: true, flatten: true, oneHotLabel: false });
  const count = ctx.quick ? 1000 : test.count;
  return { x: test.images.narrow(0, 0, count), t: test.rawLabels.subarray(0, count) };
}

export function initNetwork(ctx: BookContext): Record<string, Tensor> {
  return loadBookPickle(bookWeightsPath(ctx, 'sample_weight.pkl', 'ch03/sample_weight.pkl'));
}

/** Three affine layers: sigmoid after the first two, softmax after the last. */
export function predict(network: Record<string, Tensor>, x: Tensor): Tensor {
  const { W1, W2, W3, b1, b2, b3 } = network as Record<
    'W1' | 'W2' | 'W3' | 'b1' | 'b2' | 'b3',
    Tensor
  >;
  const a1 = x.matmul(W1).add(b1);
  const z1 = sigmoid(a1);
  const a2 = z1.matmul(W2).add(b2);
  const z2 = sigmoid(a2);
  const a3 = z2.matmul(W3).add(b3);
  return softmax(a3);
}

export function run(ctx: BookContext): void {
  const { x, t } = getData(ctx);
  const network = initNetwork(ctx);
  let accuracyCnt = 0;
  for (let i = 0; i < t.length; i++) {
    const y = predict(network, x.narrow(0, i, 1).reshape([784])); // x[i]: one image
    const p = y.argmax().item(); // the index of the most likely class
    if (p === t[i]) accuracyCnt += 1;
  }
  ctx.print(`Accuracy:${pyFloat(accuracyCnt / t.length)}`);
}
