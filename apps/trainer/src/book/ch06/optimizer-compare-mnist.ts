/**
 * `ch06/optimizer_compare_mnist.py` (section 6.1.8, figure 6-9): SGD, Momentum, AdaGrad and Adam
 * at their default learning rates (0.01, Adam 0.001), each training a 5-layer MLP (four hidden
 * layers of 100, ReLU, He initialisation) on the same MNIST batches of 128 for 2000 iterations.
 * Every 100 iterations it prints each one's loss on that iteration's batch; the figure draws the
 * losses smoothed. SGD is the slowest; AdaGrad, Adam and Momentum are close.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { compareOptimizers, RACE_OPTIMIZERS } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { smoothedLossFigure } from './plots.js';

export async function run(ctx: BookContext): Promise<void> {
  // 0: load MNIST (normalize=True)
  const { train } = loadMnist({ normalize: true });
  // --quick: 60 iterations of 32 images through four hidden layers of 30, printing every 20.
  const batchSize = ctx.quick ? 32 : 128;
  const maxIterations = ctx.quick ? 60 : 2000;
  const printEvery = ctx.quick ? 20 : 100;
  const hiddenSizeList = ctx.quick ? [30, 30, 30, 30] : [100, 100, 100, 100];

  // 1 and 2: the four networks, trained side by side on the same batches
  const trainLoss = await compareOptimizers(train.dataset, {
    iterations: maxIterations,
    batchSize,
    hiddenSizeList,
    onIteration: (i, losses) => {
      if (i % printEvery !== 0) return;
      ctx.print(`===========iteration:${i}===========`);
      for (const key of RACE_OPTIMIZERS) ctx.print(`${key}:${pyFloat(losses[key]!)}`);
    },
  });

  // 3: the figure
  ctx.savePicture(
    'optimizer_compare_mnist.png',
    smoothedLossFigure(
      `Optimizers on MNIST: ${hiddenSizeList.length + 1}-layer MLP, batch ${batchSize}`,
      trainLoss,
      { SGD: 'o', Momentum: 'x', AdaGrad: 's', Adam: 'D' },
      { yMax: 1, markEvery: printEvery },
    ),
  );
}
