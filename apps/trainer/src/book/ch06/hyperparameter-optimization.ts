/**
 * `ch06/hyperparameter_optimization.py` (section 6.5.3, figure 6-24): random search of the weight
 * decay (10^U(−8, −4)) and the learning rate (10^U(−6, −2)) over 100 trials, each a 7-layer MLP
 * trained by SGD for 50 epochs on 400 of the first 500 MNIST training images and scored on the
 * other 100 (validation data, never the test set). It prints every trial, then the 20 best by
 * validation accuracy; the figure shows their validation (solid) and training (dashed) accuracy
 * per epoch. The best learning rates lie around 1e-3…1e-2, weight decay matters little.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { randomSearch } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { PLOT_COLORS, type PlotContents, type PlotOptions, renderPlotGrid } from '../figures.js';

export async function run(ctx: BookContext): Promise<void> {
  const { train } = loadMnist({ normalize: true });
  // --quick: 6 trials of 5 epochs on 100 images (80 + 20), hidden layers of 20.
  const optimizationTrial = ctx.quick ? 6 : 100;
  const key = (t: { lr: number; weightDecay: number }) =>
    `lr:${pyFloat(t.lr)}, weight decay:${pyFloat(t.weightDecay)}`;

  const results = await randomSearch(train.dataset, {
    trials: optimizationTrial,
    epochs: ctx.quick ? 5 : 50,
    samples: ctx.quick ? 100 : 500, // x_train[:500]
    validationFraction: 0.2, // validation_rate
    hiddenSizeList: new Array(6).fill(ctx.quick ? 20 : 100),
    onTrial: (t) => ctx.print(`val acc:${pyFloat(t.validationAccuracy.at(-1)!)} | ${key(t)}`),
  });

  ctx.print('=========== Hyper-Parameter Optimization Result ===========');
  const graphDrawNum = Math.min(20, results.length);
  const colNum = 5;
  const plots: { options: PlotOptions; contents: PlotContents }[] = [];
  for (const [i, t] of results.slice(0, graphDrawNum).entries()) {
    ctx.print(`Best-${i + 1}(val acc:${pyFloat(t.validationAccuracy.at(-1)!)}) | ${key(t)}`);
    const epochs = t.validationAccuracy.length;
    plots.push({
      options: {
        title: `Best-${i + 1}`,
        xLabel: '',
        yLabel: '',
        xlim: [0, Math.max(1, epochs - 1)],
        ylim: [0, 1],
        xTicks: [],
        yTicks: i % colNum === 0 ? [0, 0.2, 0.4, 0.6, 0.8, 1] : [],
        titleSize: 12,
        margin: { left: i % colNum === 0 ? 44 : 10, right: 10, top: 24, bottom: 12 },
      },
      contents: {
        lines: [
          { points: t.validationAccuracy.map((a, e) => [e, a] as const), color: PLOT_COLORS[0]! },
          {
            points: t.trainAccuracy.map((a, e) => [e, a] as const),
            color: PLOT_COLORS[1]!,
            dashed: true,
          },
        ],
      },
    });
  }
  ctx.savePicture(
    'hyperparameter_optimization.png',
    renderPlotGrid(
      { columns: colNum, cellWidth: 180, firstColumnWidth: 214, cellHeight: 150 },
      plots,
    ),
  );
}
