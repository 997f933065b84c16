/**
 * `ch06/weight_init_compare.py` (section 6.2.4, figure 6-15): the same 5-layer ReLU MLP started
 * from weights of std 0.01, Xavier (√(1/n)) and He (√(2/n)), trained side by side by SGD (lr 0.01)
 * on the same MNIST batches of 128 for 2000 iterations, printing each loss every 100. With std
 * 0.01 nothing is learnt (the loss stays at ln 10 ≈ 2.30: the signal vanishes in the deep layers);
 * He learns fastest, Xavier a little slower.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { BOOK_WEIGHT_INITS, compareWeightInits } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { smoothedLossFigure } from './plots.js';

export async function run(ctx: BookContext): Promise<void> {
  const { train } = loadMnist({ normalize: true });
  // --quick: 100 iterations of 32 images through four hidden layers of 30, printing every 20.
  const batchSize = ctx.quick ? 32 : 128;
  const maxIterations = ctx.quick ? 100 : 2000;
  const printEvery = ctx.quick ? 20 : 100;
  const hiddenSizeList = ctx.quick ? [30, 30, 30, 30] : [100, 100, 100, 100];

  // weight_init_types = {'std=0.01': 0.01, 'Xavier': 'sigmoid', 'He': 'relu'}; SGD(lr=0.01)
  const trainLoss = await compareWeightInits(train.dataset, {
    iterations: maxIterations,
    batchSize,
    hiddenSizeList,
    lr: 0.01,
    onIteration: (i, losses) => {
      if (i % printEvery !== 0) return;
      ctx.print(`===========iteration:${i}===========`);
      for (const { name } of BOOK_WEIGHT_INITS) ctx.print(`${name}:${pyFloat(losses[name]!)}`);
    },
  });

  ctx.savePicture(
    'weight_init_compare.png',
    smoothedLossFigure(
      `Initial weights on MNIST: ${hiddenSizeList.length + 1}-layer ReLU MLP, SGD lr 0.01`,
      trainLoss,
      { 'std=0.01': 'o', Xavier: 's', He: 'D' },
      { yMax: 2.5, markEvery: printEvery },
    ),
  );
}
