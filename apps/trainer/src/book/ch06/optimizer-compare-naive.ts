/**
 * `ch06/optimizer_compare_naive.py` (section 6.1.7, figure 6-8): SGD (lr 0.95), Momentum (0.1),
 * AdaGrad (1.5) and Adam (0.3) minimise f(x, y) = x²/20 + y² (`bowl`) from (−7, 2), 30 updates each. f is
 * steep in y and nearly flat in x: SGD zig-zags across the valley, Momentum rolls along it like a
 * ball, AdaGrad's steps in y shrink fast, and Adam does a bit of both. The script prints nothing;
 * its figure puts the four paths over the contour lines of f.
 */
import { BOOK_RACE_LR, RACE_OPTIMIZERS, racePath } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { arange, PLOT_COLORS, type PlotLine, renderPlotGrid } from '../figures.js';

/**
 * The book's `plt.contour(X, Y, Z)` of f with Z > 7 masked to 0: matplotlib picks the levels
 * 1, 2, …, 7 (as we recall its automatic levels for data in [0, 7]), coloured by viridis. Each
 * level c is the ellipse x²/20 + y² = c, drawn exactly rather than traced on the grid.
 */
const VIRIDIS = ['#443983', '#31688e', '#21918c', '#35b779', '#90d743', '#c8e020', '#fde725'];

function contourLines(): PlotLine[] {
  return VIRIDIS.map((color, k) => {
    const c = k + 1;
    const points = arange(0, 2 * Math.PI + 1e-9, Math.PI / 60).map(
      (t) => [Math.sqrt(20 * c) * Math.cos(t), Math.sqrt(c) * Math.sin(t)] as const,
    );
    return { points, color };
  });
}

export function run(ctx: BookContext): void {
  const plots = RACE_OPTIMIZERS.map((key) => {
    // The book records the point before each of its 30 updates (x_history): the start and the
    // first 29 results; racePath returns the start and all 30.
    const history = racePath(key, BOOK_RACE_LR[key], 30).slice(0, 30);
    return {
      options: {
        title: key,
        xLabel: 'x',
        yLabel: 'y',
        xlim: [-10, 10] as const,
        ylim: [-10, 10] as const,
        xTicks: arange(-10, 10.5, 5),
        yTicks: arange(-10, 10.5, 5),
        titleSize: 14,
        margin: { left: 56, right: 16, top: 30, bottom: 46 },
      },
      contents: {
        lines: [...contourLines(), { points: history, color: 'red', marker: 'o' as const }],
        markers: [
          { points: [[0, 0] as const], color: PLOT_COLORS[0]!, shape: '+' as const, radius: 6 },
        ],
      },
    };
  });
  ctx.savePicture(
    'optimizer_compare_naive.png',
    renderPlotGrid({ columns: 2, cellWidth: 440, cellHeight: 400 }, plots),
  );
}
