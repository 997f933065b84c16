/**
 * `ch03/step_function.py` (section 3.2.3, figure 3-6): the step function, 0 up to x = 0 and 1
 * after, the activation of chapter 2's perceptron.
 */
import { stepFunction, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { plotCurves, X } from './plot-function.js';

export function run(ctx: BookContext): void {
  const Y = stepFunction(tensor(X)).toArray() as number[]; // np.array(x > 0, dtype=np.int)
  ctx.savePicture(
    'step_function.png',
    plotCurves('step function', [{ ys: Y }], [-0.1, 1.1], [0, 0.2, 0.4, 0.6, 0.8, 1]),
  );
}
