/**
 * `ch03/sigmoid.py` (section 3.2.4, figure 3-7): the sigmoid h(x) = 1 / (1 + exp(−x)), the smooth
 * activation a neural network uses instead of the step.
 */
import { sigmoid, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { plotCurves, X } from './plot-function.js';

export function run(ctx: BookContext): void {
  const Y = sigmoid(tensor(X)).toArray() as number[];
  ctx.savePicture(
    'sigmoid.png',
    plotCurves('sigmoid', [{ ys: Y }], [-0.1, 1.1], [0, 0.2, 0.4, 0.6, 0.8, 1]),
  );
}
