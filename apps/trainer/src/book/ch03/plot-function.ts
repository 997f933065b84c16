import { arange, renderPlot } from '../figures.js';

/** x from −5 to 5 in steps of 0.1, as `np.arange(-5.0, 5.0, 0.1)`. */
export const X = arange(-5.0, 5.0, 0.1);

/**
 * `plt.plot(x, y)` with `plt.ylim(...)`, as the chapter-3 activation scripts draw: one or more
 * curves over x in [−5, 5) (matplotlib's default blue, then the book's black dashes `'k--'`).
 */
export function plotCurves(
  title: string,
  curves: { ys: readonly number[]; dashed?: boolean }[],
  ylim: readonly [number, number],
  yTicks: readonly number[],
): Uint8Array {
  return renderPlot(
    {
      title,
      xLabel: 'x',
      yLabel: 'y',
      xlim: [-5.5, 5.5],
      ylim,
      xTicks: arange(-4, 5, 2),
      yTicks,
    },
    {
      lines: curves.map(({ ys, dashed = false }) => ({
        points: X.map((x, i) => [x, ys[i]!] as const),
        color: dashed ? 'black' : '#1f77b4',
        dashed,
      })),
    },
  );
}
