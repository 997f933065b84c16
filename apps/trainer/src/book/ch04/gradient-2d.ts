/**
 * `ch04/gradient_2d.py` (section 4.4, figure 4-9): the gradient of f(x0, x1) = x0² + x1², found
 * numerically. The book's text prints it at (3, 4), (0, 2) and (3, 0); the script draws −∇f at
 * every point of a grid: the arrows point to the minimum at (0, 0), longer the farther away.
 */
import { numericalGradientOf } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { ndarrayToString } from '../context.js';
import { arange, renderPlot } from '../figures.js';

export function function2(x: Float64Array): number {
  return x[0]! ** 2 + x[1]! ** 2;
}

export function run(ctx: BookContext): void {
  for (const point of [
    [3.0, 4.0],
    [0.0, 2.0],
    [3.0, 0.0],
  ]) {
    ctx.print(ndarrayToString([...numericalGradientOf(function2, point)])); // [6. 8.], …
  }

  const x0 = arange(-2, 2.5, 0.25);
  const x1 = arange(-2, 2.5, 0.25);
  // np.meshgrid(x0, x1) flattened: every (x0, x1) pair, and the gradient at each.
  const X = x1.flatMap(() => x0);
  const Y = x1.flatMap((y) => x0.map(() => y));
  const grad = X.map((x, i) => numericalGradientOf(function2, [x, Y[i]!]));

  // matplotlib's quiver scales the arrows so that the mean one is 1/(1.8·√N) of the plot's width.
  const lengths = grad.map((g) => Math.hypot(g[0]!, g[1]!));
  const mean = lengths.reduce((a, b) => a + b) / lengths.length;
  const span = X.at(-1)! - X[0]!;
  const scale = span / (1.8 * Math.max(10, Math.sqrt(X.length)) * mean);
  const ticks = arange(-2, 2.5, 0.5);
  ctx.savePicture(
    'gradient_2d.png',
    renderPlot(
      {
        title: 'the gradient of x0² + x1² (drawn as −∇f)',
        xLabel: 'x0',
        yLabel: 'x1',
        xlim: [-2, 2],
        ylim: [-2, 2],
        xTicks: ticks,
        yTicks: ticks,
        grid: true,
        width: 600,
        height: 560,
      },
      {
        arrows: {
          color: '#666666',
          arrows: X.map((x, i) => [x, Y[i]!, -grad[i]![0]! * scale, -grad[i]![1]! * scale]),
        },
      },
    ),
  );
}
