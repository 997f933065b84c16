/**
 * `ch06/overfit_weight_decay.py` (sections 6.4.1 and 6.4.2, figures 6-20 and 6-21): a 7-layer MLP
 * (six hidden layers of 100, ReLU) trained by SGD (lr 0.01, batches of 100) on only the first 300
 * MNIST training images for 201 epochs, printing the accuracy on those and on the 10,000 test
 * images after each epoch's first step. The script has a variable for the weight decay λ; this
 * runs both settings: λ = 0 overfits (training accuracy 100%, test accuracy ~70%: figure 6-20),
 * λ = 0.1 narrows the gap (figure 6-21).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { overfitExperiment } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { accuracyFigure } from './plots.js';

export async function run(ctx: BookContext): Promise<void> {
  const { train, test } = loadMnist({ normalize: true });
  for (const [weightDecayLambda, file, figure] of [
    [0, 'overfit_no_weight_decay.png', '6-20'], // weight_decay_lambda = 0
    [0.1, 'overfit_weight_decay.png', '6-21'],
  ] as const) {
    ctx.print(`weight_decay_lambda = ${weightDecayLambda}`);
    // --quick: 100 images in batches of 20 (5 steps an epoch), six hidden layers of 40, 26
    // epochs, the first 500 test images.
    const { trainAccuracy, testAccuracy } = await overfitExperiment(train.dataset, test.dataset, {
      samples: ctx.quick ? 100 : 300,
      batchSize: ctx.quick ? 20 : 100,
      hiddenSizeList: new Array(6).fill(ctx.quick ? 40 : 100),
      epochs: ctx.quick ? 26 : 201,
      lr: 0.01,
      weightDecayLambda,
      ...(ctx.quick ? { testSamples: 500 } : {}),
      onEpoch: ({ epoch, trainAccuracy: trainAcc, testAccuracy: testAcc }) =>
        ctx.print(
          `epoch:${epoch - 1}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)}`,
        ),
    });
    ctx.savePicture(
      file,
      accuracyFigure(
        `Weight decay λ = ${weightDecayLambda} (figure ${figure})`,
        trainAccuracy,
        testAccuracy,
      ),
    );
  }
}
