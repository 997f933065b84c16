/**
 * `ch04/gradient_method.py` (section 4.4.1, figure 4-10): gradient descent on
 * f(x0, x1) = x0² + x1² from (−3, 4) with learning rate 0.1, for `step_num = 20` steps as the
 * book's script runs it (and the playground's figure 4-10, BOOK_GRADIENT_DESCENT). The figure
 * shows the point before each step (the script's x_history) closing in on the minimum (0, 0).
 *
 * The book's text of section 4.4.1 calls `gradient_descent` with `step_num=100` instead and
 * shows the result, about (−6.1e-10, 8.1e-10); the script only plots. So this prints where the
 * script's 20 steps end, (−3, 4)·0.8^20, then, on a second line, the text's 100-step result.
 */
import { gradientDescent } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { ndarrayToString } from '../context.js';
import { arange, renderPlot } from '../figures.js';

function function2(x: Float64Array): number {
  return x[0]! ** 2 + x[1]! ** 2;
}

export function run(ctx: BookContext): void {
  const initX = [-3.0, 4.0];
  const lr = 0.1;
  const stepNum = 20; // the book's gradient_method.py (its text, section 4.4.1: step_num=100)
  const { x, history: xHistory } = gradientDescent(function2, initX, { lr, stepNum });
  ctx.print(ndarrayToString([...x])); // [-0.03458765  0.04611686]

  const textStepNum = 100;
  const { x: textX } = gradientDescent(function2, initX, { lr, stepNum: textStepNum });
  ctx.print(
    `(step_num=${stepNum}, as the book's gradient_method.py; section 4.4.1's text runs ` +
      `step_num=${textStepNum}: ${ndarrayToString([...textX])})`,
  );

  ctx.savePicture(
    'gradient_method.png',
    renderPlot(
      {
        title: `gradient descent from (−3, 4): lr ${lr}, ${stepNum} steps`,
        xLabel: 'X0',
        yLabel: 'X1',
        xlim: [-3.5, 3.5],
        ylim: [-4.5, 4.5],
        xTicks: arange(-3, 3.5, 1),
        yTicks: arange(-4, 4.5, 1),
        width: 560,
        height: 620,
      },
      {
        lines: [
          {
            points: [
              [-5, 0],
              [5, 0],
            ],
            color: 'blue',
            dashed: true,
          },
          {
            points: [
              [0, -5],
              [0, 5],
            ],
            color: 'blue',
            dashed: true,
          },
        ],
        markers: [{ points: xHistory.map((p) => [p[0]!, p[1]!]), color: '#1f77b4' }],
      },
    ),
  );
}
