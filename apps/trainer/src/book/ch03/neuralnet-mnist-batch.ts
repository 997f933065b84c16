/**
 * `ch03/neuralnet_mnist_batch.py` (section 3.6.3): the same inference as `neuralnet-mnist`, 100
 * images at a time: x of shape (100, 784) through the same matrix products gives (100, 10), and
 * `argmax(axis=1)` the 100 answers. The book prints Accuracy:0.9352 again; `--quick` scores the
 * first 1,000 test images.
 */
import { argmax, eq, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { getData, initNetwork, predict } from './neuralnet-mnist.js';

export function run(ctx: BookContext): void {
  const { x, t } = getData(ctx);
  const network = initNetwork(ctx);
  const batchSize = 100;
  let accuracyCnt = 0;
  for (let i = 0; i < t.length; i += batchSize) {
    const n = Math.min(batchSize, t.length - i);
    const xBatch = x.narrow(0, i, n); // x[i:i+batch_size]
    const yBatch = predict(network, xBatch);
    const p = argmax(yBatch, 1); // np.argmax(y_batch, axis=1)
    accuracyCnt += eq(p, tensor(t.subarray(i, i + n)))
      .sum()
      .item(); // np.sum(p == t[i:i+batch_size])
  }
  ctx.print(`Accuracy:${pyFloat(accuracyCnt / t.length)}`);
}
