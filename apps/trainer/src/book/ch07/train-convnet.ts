/**
 * `ch07/train_convnet.py` (section 7.5, figure 7-23's network; its accuracy curves are the book's
 * figure after it): SimpleConvNet (30 filters of 5×5, hidden 100, weights of std 0.01) trained on
 * MNIST by the book's Trainer: Adam with lr 0.001, batches of 100, 20 epochs (12,000 steps), the
 * accuracies measured on the first 1,000 training and test images each epoch. The book ends at
 * about 98.9% (its shipped params.pkl: 98.90%).
 *
 * The book saves `params.pkl`; this saves a scratchnet model file, `params.safetensors`, in the
 * output folder, which `ch07/visualize-filter` and `ch07/apply-filter` load (`--weights` too).
 * The figure is the book's plot of `train_acc_list` and `test_acc_list` (x = 0…19: the accuracy
 * at the start of each epoch), with `plt.ylim(0, 1.0)`.
 *
 * --quick: 300 training and 100 test images, 2 epochs (6 steps), so that the curve is a line.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { SimpleConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { renderLineChart } from '../../charts.js';
import { trainAsTheBook } from '../book-trainer.js';
import type { BookContext } from '../context.js';
import { saveNetworkFile } from '../networks.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export async function run(ctx: BookContext): Promise<void> {
  // load_mnist(flatten=False): normalize=True, labels as class indices
  const { train, test } = loadMnist({ normalize: true, flatten: false });
  const xTrain = ctx.quick ? train.dataset.subset(range(300)) : train.dataset;
  const xTest = ctx.quick ? test.dataset.subset(range(100)) : test.dataset;
  const maxEpochs = ctx.quick ? 2 : 20;

  manualSeed(1);
  const network = new SimpleConvNet({
    inputDim: [1, 28, 28],
    filterNum: 30,
    filterSize: 5,
    pad: 0,
    stride: 1,
    hiddenSize: 100,
    outputSize: 10,
    weightInitStd: 0.01,
  });
  const trainer = await trainAsTheBook(ctx, network, xTrain, xTest, {
    epochs: maxEpochs,
    miniBatchSize: 100,
    lr: 0.001,
    evaluateSampleNumPerEpoch: 1000,
  });

  // network.save_params("params.pkl")
  const path = saveNetworkFile(ctx, network, 'params.safetensors');
  ctx.print('Saved Network Parameters!');
  ctx.print(`(${path}: a scratchnet model file, where the book pickles params.pkl)`);

  const x = range(maxEpochs); // np.arange(max_epochs)
  ctx.savePicture(
    'train_convnet.png',
    await renderLineChart({
      title: 'SimpleConvNet on MNIST: accuracy',
      xLabel: 'epochs',
      yLabel: 'accuracy',
      yLimits: [0, 1],
      series: [
        { name: 'train', points: x.map((e) => [e, trainer.trainAccList[e]!]) },
        { name: 'test', points: x.map((e) => [e, trainer.testAccList[e]!]) },
      ],
    }),
  );
}
