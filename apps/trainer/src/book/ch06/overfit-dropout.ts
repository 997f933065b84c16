/**
 * `ch06/overfit_dropout.py` (section 6.4.3, figure 6-23): the overfitting setup of section 6.4
 * (300 training images, a 7-layer MLP) with dropout of ratio 0.2 after every hidden layer, trained
 * by the book's Trainer (SGD, lr 0.01, batches of 100) for 301 epochs. It prints what the book's
 * Trainer prints with verbose=True: every step's loss, the training and test accuracy after each
 * epoch's first step, and the final test accuracy. Dropout keeps the two accuracies closer than
 * figure 6-20's. The loss printed is the book's: the step's batch computed again after the
 * update, with dropout off (`train_flg=False`).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { overfitExperiment } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { accuracyFigure } from './plots.js';

export async function run(ctx: BookContext): Promise<void> {
  const { train, test } = loadMnist({ normalize: true });
  const useDropout = true; // use_dropout = True; False for no dropout
  const dropoutRatio = 0.2;
  // --quick: 100 images in batches of 20, six hidden layers of 40, 16 epochs, 500 test images.
  const { trainAccuracy, testAccuracy, finalTestAccuracy } = await overfitExperiment(
    train.dataset,
    test.dataset,
    {
      samples: ctx.quick ? 100 : 300,
      batchSize: ctx.quick ? 20 : 100,
      hiddenSizeList: new Array(6).fill(ctx.quick ? 40 : 100),
      epochs: ctx.quick ? 16 : 301,
      lr: 0.01,
      ...(useDropout ? { dropoutRatio } : {}),
      until: 'trainer', // the Trainer's int(epochs * iter_per_epoch) steps
      ...(ctx.quick ? { testSamples: 500 } : {}),
      onLoss: (loss) => ctx.print(`train loss:${pyFloat(loss)}`),
      onEpoch: ({ epoch, trainAccuracy: trainAcc, testAccuracy: testAcc }) =>
        ctx.print(
          `=== epoch:${epoch}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)} ===`,
        ),
    },
  );
  ctx.print('=============== Final Test Accuracy ===============');
  ctx.print(`test acc:${pyFloat(finalTestAccuracy)}`);

  ctx.savePicture(
    'overfit_dropout.png',
    accuracyFigure(`Dropout ratio ${dropoutRatio} (figure 6-23)`, trainAccuracy, testAccuracy),
  );
}
