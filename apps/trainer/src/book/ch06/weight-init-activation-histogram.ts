/**
 * `ch06/weight_init_activation_histogram.py` (sections 6.2.2 and 6.2.3): 1000 inputs of 100
 * standard normal values through 5 layers of 100 units, and a histogram of each layer's outputs
 * (30 bins over (0, 1)). The y axis is not cut (the script's `plt.ylim(0, 7000)` is commented
 * out): each row of panels shares one scale, up to its tallest bar. The script is one experiment
 * with lines to uncomment; this draws every figure the book shows with it:
 *
 * - figure 6-10: sigmoid, std 1: the outputs pile up at 0 and 1, where sigmoid's gradient vanishes;
 * - figure 6-11: sigmoid, std 0.01: all near 0.5, every unit alike (little expressive power);
 * - figure 6-13: sigmoid, Xavier (std √(1/100)): spread out;
 * - tanh with Xavier, which the text says gives a bell shape (no figure in the book; its
 *   histogram is drawn over (−1, 1), where tanh's outputs lie, not the script's (0, 1));
 * - figure 6-14: ReLU with std 0.01, Xavier and He (√(2/100)), one row each: only He keeps the
 *   spread the same in every layer.
 *
 * The script prints nothing.
 */
import {
  activationHistograms,
  type HistogramActivation,
  type WeightInitName,
} from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { arange, type PlotContents, type PlotOptions, renderPlotGrid } from '../figures.js';
import { tickStep } from './plots.js';

const FIGURES: readonly {
  file: string;
  title: string;
  activation: HistogramActivation;
  inits: readonly WeightInitName[];
}[] = [
  {
    file: 'histogram_sigmoid_std_1.png',
    title: 'sigmoid, std 1 (figure 6-10)',
    activation: 'sigmoid',
    inits: ['std 1'],
  },
  {
    file: 'histogram_sigmoid_std_0.01.png',
    title: 'sigmoid, std 0.01 (figure 6-11)',
    activation: 'sigmoid',
    inits: ['std 0.01'],
  },
  {
    file: 'histogram_sigmoid_xavier.png',
    title: 'sigmoid, Xavier (figure 6-13)',
    activation: 'sigmoid',
    inits: ['Xavier'],
  },
  {
    file: 'histogram_tanh_xavier.png',
    title: 'tanh, Xavier',
    activation: 'tanh',
    inits: ['Xavier'],
  },
  {
    file: 'histogram_relu.png',
    title: 'ReLU: std 0.01, Xavier, He (figure 6-14)',
    activation: 'relu',
    inits: ['std 0.01', 'Xavier', 'He'],
  },
];

/** One y scale for a row of histograms: up to its tallest bar, rounded up to a whole tick. */
export function rowScale(layers: readonly ArrayLike<number>[]): { yMax: number; step: number } {
  const tallest = Math.max(...layers.flatMap((counts) => Array.from(counts)));
  const step = tickStep(tallest, 5);
  return { yMax: Math.ceil(tallest / step) * step, step };
}

export function run(ctx: BookContext): void {
  // input_data = np.random.randn(1000, 100); node_num = 100; hidden_layer_size = 5
  // --quick: 100 inputs.
  const samples = ctx.quick ? 100 : 1000;
  for (const { file, title, activation, inits } of FIGURES) {
    const plots: { options: PlotOptions; contents: PlotContents }[] = [];
    for (const init of inits) {
      const { layers, lo, hi } = activationHistograms(init, activation, {
        samples,
        units: 100,
        layers: 5,
        bins: 30,
      });
      const { yMax, step } = rowScale(layers);
      layers.forEach((counts, i) => {
        const width = (hi - lo) / counts.length;
        plots.push({
          options: {
            title: `${i + 1}-layer`,
            xLabel: '',
            yLabel: i === 0 && inits.length > 1 ? init : '',
            xlim: [lo, hi],
            ylim: [0, yMax],
            xTicks: arange(lo, hi + 1e-9, (hi - lo) / 2),
            yTicks: i === 0 ? arange(0, yMax + 1e-9, step) : [],
            titleSize: 13,
            margin: { left: i === 0 ? 70 : 14, right: 10, top: 28, bottom: 34 }, // equal plot widths
          },
          contents: {
            bars: {
              bins: counts.map(
                (count, b) => [lo + b * width, lo + (b + 1) * width, count] as const,
              ),
              color: '#1f77b4',
            },
          },
        });
      });
    }
    ctx.savePicture(
      file,
      renderPlotGrid(
        { title, columns: 5, cellWidth: 190, firstColumnWidth: 246, cellHeight: 220 },
        plots,
      ),
    );
  }
}
