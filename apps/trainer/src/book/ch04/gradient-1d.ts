/**
 * `ch04/gradient_1d.py` (section 4.3.2, figure 4-7): the numerical derivative of
 * f(x) = 0.01x² + 0.1x, whose true derivative 0.02x + 0.1 is 0.2 at x = 5 and 0.3 at x = 10, and
 * the tangent line at x = 5 drawn over f.
 */
import { numericalDiff } from '@scratchnet/tensor';
import { renderLineChart } from '../../charts.js';
import type { BookContext } from '../context.js';
import { arange } from '../figures.js';

function function1(x: number): number {
  return 0.01 * x ** 2 + 0.1 * x;
}

/** The line touching f at x: its slope is the numerical derivative (the script prints it). */
function tangentLine(ctx: BookContext, f: (x: number) => number, x: number) {
  const d = numericalDiff(f, x);
  ctx.print(d); // 0.1999999999990898 at x = 5
  const y = f(x) - d * x;
  return (t: number) => d * t + y;
}

export async function run(ctx: BookContext): Promise<void> {
  const x = arange(0.0, 20.0, 0.1);
  const y = x.map(function1);
  const tf = tangentLine(ctx, function1, 5);
  const y2 = x.map(tf);
  // The book's text also takes the derivative at 10 (the script does not print it).
  ctx.print(numericalDiff(function1, 10)); // 0.2999999999986347
  ctx.savePicture(
    'gradient_1d.png',
    await renderLineChart({
      title: 'f(x) = 0.01x² + 0.1x and its tangent line at x = 5',
      xLabel: 'x',
      yLabel: 'f(x)',
      series: [
        { name: 'f(x)', points: x.map((xi, i) => [xi, y[i]!]) },
        { name: 'tangent at x = 5', points: x.map((xi, i) => [xi, y2[i]!]) },
      ],
    }),
  );
}
