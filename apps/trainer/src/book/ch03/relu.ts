/**
 * `ch03/relu.py` (section 3.2.7, figure 3-9): ReLU, h(x) = max(0, x).
 */
import { relu, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { plotCurves, X } from './plot-function.js';

export function run(ctx: BookContext): void {
  const Y = relu(tensor(X)).toArray() as number[]; // np.maximum(0, x)
  ctx.savePicture('relu.png', plotCurves('ReLU', [{ ys: Y }], [-1.0, 5.5], [-1, 0, 1, 2, 3, 4, 5]));
}
