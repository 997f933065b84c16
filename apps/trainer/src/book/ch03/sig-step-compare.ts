/**
 * `ch03/sig_step_compare.py` (section 3.2.5, figure 3-8): the sigmoid (solid) and the step
 * function (dashed) together: both 0 for large negative x and 1 for large positive, but the
 * sigmoid is smooth, which is what lets chapter 4 train by gradients.
 */
import { sigmoid, stepFunction, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { plotCurves, X } from './plot-function.js';

export function run(ctx: BookContext): void {
  const y1 = sigmoid(tensor(X)).toArray() as number[];
  const y2 = stepFunction(tensor(X)).toArray() as number[];
  ctx.savePicture(
    'sig_step_compare.png',
    plotCurves(
      'sigmoid (solid) and step function (dashed)',
      [{ ys: y1 }, { ys: y2, dashed: true }], // plt.plot(x, y1); plt.plot(x, y2, 'k--')
      [-0.1, 1.1],
      [0, 0.2, 0.4, 0.6, 0.8, 1],
    ),
  );
}
