/**
 * `ch06/batch_norm_test.py` (section 6.3.2, figure 6-19): for 16 initial weight scales from 1 down
 * to 1e-4 (`np.logspace(0, -4, num=16)`), a 6-layer MLP (five hidden layers of 100, ReLU) with
 * batch normalisation and one without, trained side by side by SGD (lr 0.01) on batches of 100
 * from the first 1000 MNIST training images for 20 epochs. After each epoch's first step it prints
 * both training accuracies, "epoch:N | without - with". Batch norm learns at almost every scale,
 * and fast; without it the network learns only near the best scale and not at all below it.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import {
  BATCH_NORM_WEIGHT_SCALES,
  type BatchNormRun,
  compareBatchNorm,
  logspace,
} from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { arange, PLOT_COLORS, renderPlotGrid } from '../figures.js';

export async function run(ctx: BookContext): Promise<void> {
  const { train } = loadMnist({ normalize: true });
  // --quick: 4 scales (np.logspace(0, -4, num=4)), 300 images in batches of 30, 12 epochs,
  // hidden layers of 30.
  const weightScaleList = ctx.quick ? logspace(0, -4, 4) : BATCH_NORM_WEIGHT_SCALES;
  const maxEpochs = ctx.quick ? 12 : 20;
  const n = weightScaleList.length;

  const runs: BatchNormRun[] = await compareBatchNorm(train.dataset, {
    weightScales: weightScaleList,
    samples: ctx.quick ? 300 : 1000, // x_train[:1000]
    epochs: maxEpochs,
    batchSize: ctx.quick ? 30 : 100,
    lr: 0.01,
    hiddenSizeList: new Array(5).fill(ctx.quick ? 30 : 100),
    onScale: (i) => ctx.print(`============== ${i + 1}/${n} ==============`),
    onEpoch: ({ epoch, trainAccuracy, batchNormTrainAccuracy }) =>
      ctx.print(`epoch:${epoch} | ${pyFloat(trainAccuracy)} - ${pyFloat(batchNormTrainAccuracy)}`),
  });

  // plt.subplot(4, 4, i + 1) for each scale
  const columns = Math.round(Math.sqrt(n));
  const lastRow = n - columns;
  const plots = runs.map((r, i) => ({
    options: {
      title: `W:${pyFloat(r.weightScale)}`,
      xLabel: i >= lastRow ? 'epochs' : '',
      yLabel: i % columns === 0 ? 'accuracy' : '',
      xlim: [0, maxEpochs - 1] as const,
      ylim: [0, 1] as const,
      xTicks: i >= lastRow ? arange(0, maxEpochs, 5) : [],
      yTicks: i % columns === 0 ? arange(0, 1.0001, 0.2) : [],
      titleSize: 11,
      margin: { left: i % columns === 0 ? 70 : 12, right: 10, top: 26, bottom: 44 },
      ...(i === n - 1 ? { legend: 'lower right' as const } : {}),
    },
    contents: {
      lines: [
        {
          points: r.batchNormTrainAccuracy.map((a, e) => [e, a] as const),
          color: PLOT_COLORS[0]!,
          ...(i === n - 1 ? { label: 'Batch Normalization' } : {}),
        },
        {
          points: r.trainAccuracy.map((a, e) => [e, a] as const),
          color: PLOT_COLORS[1]!,
          dashed: true,
          ...(i === n - 1 ? { label: 'Normal(without BatchNorm)' } : {}),
        },
      ],
    },
  }));
  ctx.savePicture(
    'batch_norm_test.png',
    renderPlotGrid({ columns, cellWidth: 230, firstColumnWidth: 288, cellHeight: 200 }, plots),
  );
}
