import type { Tensor } from '@scratchnet/tensor';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSprop, SGD } from './optimizers.js';

/** The optimizers by the lower-case names command lines and URLs use. */
export type OptimizerName =
  | 'sgd'
  | 'momentum'
  | 'nesterov'
  | 'adagrad'
  | 'rmsprop'
  | 'adam'
  | 'adamw';

const constructors = {
  sgd: SGD,
  momentum: Momentum,
  nesterov: Nesterov,
  adagrad: AdaGrad,
  rmsprop: RMSprop,
  adam: Adam,
  adamw: AdamW,
} satisfies Record<
  OptimizerName,
  new (
    params: Iterable<Tensor>,
    options?: OptimizerOptions,
  ) => Optimizer
>;

/** Every `OptimizerName`, for help texts and validation. */
export const optimizerNames = Object.keys(constructors) as OptimizerName[];

/**
 * Builds an optimizer from its name, e.g. from a command-line flag. Options left out keep the
 * optimizer's own defaults (the book's: lr 0.01, Adam and AdamW 0.001; AdamW's decay 0.01).
 *
 * @example createOptimizer('adam', net.parameters(), { lr: 0.001 })
 */
export function createOptimizer(
  name: OptimizerName,
  params: Iterable<Tensor>,
  options: OptimizerOptions = {},
): Optimizer {
  const Constructor = constructors[name];
  if (!Constructor) {
    throw new Error(
      `createOptimizer: unknown optimizer "${name}" (known: ${optimizerNames.join(', ')})`,
    );
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return new Constructor(params, defined);
}
