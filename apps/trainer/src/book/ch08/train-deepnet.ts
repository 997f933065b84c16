/**
 * `ch08/train_deepnet.py` (section 8.1.1): DeepConvNet trained on MNIST by the book's Trainer:
 * Adam with lr 0.001, batches of 100, 20 epochs (12,000 steps), the accuracies measured on the
 * first 1,000 training and test images each epoch. The book reports about 99.38% at the end. Of
 * the parameters the book's repository has shipped, deep_convnet_params_2016.pkl (first published
 * in 2016) gives 99.35% on the full test set, the 2022 re-save (deep_convnet_params.pkl) 97.97%.
 *
 * The book saves `deep_convnet_params.pkl`; this saves a scratchnet model file,
 * `deep_convnet_params.safetensors`, in the output folder, which `ch08/misclassified-mnist` and
 * `ch08/half-float-network` take with `--weights FILE`. Like the book's script, no figure.
 *
 * --quick: 200 training and 100 test images, 1 epoch (2 steps).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { DeepConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { trainAsTheBook } from '../book-trainer.js';
import type { BookContext } from '../context.js';
import { saveNetworkFile } from '../networks.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export async function run(ctx: BookContext): Promise<void> {
  // load_mnist(flatten=False): normalize=True, labels as class indices
  const { train, test } = loadMnist({ normalize: true, flatten: false });
  const xTrain = ctx.quick ? train.dataset.subset(range(200)) : train.dataset;
  const xTest = ctx.quick ? test.dataset.subset(range(100)) : test.dataset;

  manualSeed(1);
  const network = new DeepConvNet(); // the book's dropout (scaled at test time)
  await trainAsTheBook(ctx, network, xTrain, xTest, {
    epochs: ctx.quick ? 1 : 20,
    miniBatchSize: 100,
    lr: 0.001,
    evaluateSampleNumPerEpoch: 1000,
  });

  // network.save_params("deep_convnet_params.pkl")
  const path = saveNetworkFile(ctx, network, 'deep_convnet_params.safetensors');
  ctx.print('Saved Network Parameters!');
  ctx.print(`(${path}: a scratchnet model file, where the book pickles deep_convnet_params.pkl)`);
}
