import { AdaGrad, Adam, Momentum, type Optimizer, SGD } from '@scratchnet/optimizers';
import { scope, type Tensor, tensor } from '@scratchnet/tensor';

/** The four optimizers the book compares in chapter 6.1, in its order. */
export const RACE_OPTIMIZERS = ['SGD', 'Momentum', 'AdaGrad', 'Adam'] as const;
/** One of {@link RACE_OPTIMIZERS}: an optimizer of the book's `common/optimizer.py`. */
export type RaceOptimizer = (typeof RACE_OPTIMIZERS)[number];

/** The learning rates of the book's `ch06/optimizer_compare_naive.py` (figure 6-8). */
export const BOOK_RACE_LR: Readonly<Record<RaceOptimizer, number>> = {
  SGD: 0.95,
  Momentum: 0.1,
  AdaGrad: 1.5,
  Adam: 0.3,
};

/** Where the book's optimizers start on `bowl`: (−7, 2). */
export const RACE_START: readonly [number, number] = [-7, 2];

/** The book's f(x, y) = x²/20 + y² (section 6.1.2): steep in y, nearly flat in x. */
export function bowl(x: number, y: number): number {
  return (x * x) / 20 + y * y;
}

/**
 * One of the book's optimizers (`common/optimizer.py`) with its settings: SGD; Momentum with
 * α 0.9; AdaGrad with ε 1e-7 added to √h; Adam with β1 0.9, β2 0.999 and ε 1e-7 added before
 * the bias correction, as the book writes it. Without `lr`, the book's default (0.01, Adam 0.001).
 */
export function bookOptimizer(
  name: RaceOptimizer,
  params: Iterable<Tensor>,
  lr?: number,
): Optimizer {
  switch (name) {
    case 'SGD':
      return new SGD(params, { lr });
    case 'Momentum':
      return new Momentum(params, { lr, momentum: 0.9 });
    case 'AdaGrad':
      return new AdaGrad(params, { lr, eps: 1e-7 });
    case 'Adam':
      return new Adam(params, {
        lr,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-7,
        epsBeforeCorrection: true,
      });
  }
}

/**
 * The path an optimizer takes on `bowl` from (−7, 2): the book's `ch06/optimizer_compare_naive.py`
 * (section 6.1.7, figure 6-8), with the library's optimizers and the gradient from autograd.
 * Returns `steps + 1` points: the start and the point after each step (the book's figure draws the
 * first 30 of them, its `x_history`).
 *
 * @example racePath('AdaGrad', BOOK_RACE_LR.AdaGrad) // 31 points from [-7, 2] towards [0, 0]
 */
export function racePath(name: RaceOptimizer, lr: number, steps = 30): [number, number][] {
  const x = tensor(RACE_START[0], [], { requiresGrad: true });
  const y = tensor(RACE_START[1], [], { requiresGrad: true });
  const optimizer = bookOptimizer(name, [x, y], lr);
  const path: [number, number][] = [[RACE_START[0], RACE_START[1]]];
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    scope(() => x.square().div(20).add(y.square()).backward());
    optimizer.step();
    path.push([x.item(), y.item()]);
  }
  return path;
}
