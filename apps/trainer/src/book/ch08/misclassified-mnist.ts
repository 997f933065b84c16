/**
 * `ch08/misclassified_mnist.py` (section 8.1.1, figure 8-2): the book's trained DeepConvNet on the
 * 10,000 MNIST test images, in batches of 100 (`predict(tx, train_flg=False)`, argmax): it prints
 * the accuracy, then the first 20 misclassified images as `{view index: (label, inference),
 * ...}`, and shows them in a 4×5 grid (`cmap=gray_r`). Many are hard for a person too.
 *
 * The accuracy depends on which deep_convnet_params.pkl is loaded: the one first published in
 * 2016 (deep_convnet_params_2016.pkl in ../shared/book-params) gives `test accuracy:0.9935`, the
 * 2022 re-save that the book's repository has now (deep_convnet_params.pkl) 0.9797.
 *
 * The parameters: `--weights FILE` (the book's deep_convnet_params.pkl, or a model file of
 * ch08/train-deepnet), else deep_convnet_params.pkl in the working directory. The grid adds each
 * image's label and inference under it, which the book prints instead.
 *
 * --quick: the first 1,000 test images (the book's commented-out `sampled = 1000`).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { evaluate } from '@scratchnet/training';
import { renderImageGrid } from '../../pictures.js';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { loadDeepConvnet } from './deep-convnet-weights.js';

const MAX_VIEW = 20;

export async function run(ctx: BookContext): Promise<void> {
  const { test } = loadMnist({ normalize: true, flatten: false });
  const { network, path } = loadDeepConvnet(ctx);
  ctx.print(`(parameters: ${path})`);

  ctx.print('calculating test accuracy ... ');
  const sampled = ctx.quick ? 1000 : test.count;
  // for i in range(int(x_test.shape[0] / batch_size)): y = argmax(network.predict(tx, False))
  const { predictions, labels } = await evaluate(network, test.dataset, {
    limit: sampled,
    batchSize: 100,
  });
  let correct = 0;
  for (let i = 0; i < sampled; i++) if (predictions[i] === labels[i]) correct++;
  ctx.print(`test accuracy:${pyFloat(correct / sampled)}`);

  // mis_pairs[current_view] = (t_test[i], classified_ids[i]), the first 20
  const misclassified: number[] = [];
  for (let i = 0; i < sampled && misclassified.length < MAX_VIEW; i++) {
    if (predictions[i] !== labels[i]) misclassified.push(i);
  }
  const pairs = misclassified.map((i, k) => `${k + 1}: (${labels[i]}, ${predictions[i]})`);
  ctx.print('======= misclassified result =======');
  ctx.print('{view index: (label, inference), ...}');
  ctx.print(`{${pairs.join(', ')}}`);

  if (misclassified.length === 0) return; // nothing to show
  const { x } = test.dataset.batch(misclassified);
  const pixels = x.dataSync();
  ctx.savePicture(
    'misclassified_mnist.png',
    renderImageGrid(
      misclassified.map((i, k) => ({
        pixels: pixels.subarray(k * 784, (k + 1) * 784),
        caption: `${k + 1}: label ${labels[i]}\ninference ${predictions[i]}`,
      })),
      { columns: 5, title: `misclassified: the first ${misclassified.length}` },
    ),
  );
}
