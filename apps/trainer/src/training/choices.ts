import {
  AdaGrad,
  Adam,
  AdamW,
  Momentum,
  Nesterov,
  type Optimizer,
  RMSprop,
  SGD,
} from '@scratchnet/optimizers';
import type { Tensor } from '@scratchnet/tensor';

export const modelNames = ['mlp', 'simple-convnet', 'deep-convnet'] as const;
export type ModelName = (typeof modelNames)[number];

export const datasetNames = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof datasetNames)[number];

interface OptimizerSettings {
  lr?: number;
  weightDecay: number;
}

const optimizerFactories = {
  sgd: (params: Tensor[], o: OptimizerSettings) => new SGD(params, o),
  momentum: (params: Tensor[], o: OptimizerSettings) => new Momentum(params, o),
  nesterov: (params: Tensor[], o: OptimizerSettings) => new Nesterov(params, o),
  adagrad: (params: Tensor[], o: OptimizerSettings) => new AdaGrad(params, o),
  rmsprop: (params: Tensor[], o: OptimizerSettings) => new RMSprop(params, o),
  adam: (params: Tensor[], o: OptimizerSettings) => new Adam(params, o),
  adamw: (params: Tensor[], o: OptimizerSettings) => new AdamW(params, o),
} satisfies Record<string, (params: Tensor[], o: OptimizerSettings) => Optimizer>;

export type OptimizerName = keyof typeof optimizerFactories;
export const optimizerNames = Object.keys(optimizerFactories) as OptimizerName[];

/** Builds an optimizer by its CLI name; `lr` undefined keeps the optimizer's own default. */
export function createOptimizer(
  name: OptimizerName,
  params: Tensor[],
  settings: OptimizerSettings,
): Optimizer {
  const { lr, weightDecay } = settings;
  // AdamW's own default decay (0.01) applies unless one is given.
  const options = lr === undefined ? { weightDecay } : { lr, weightDecay };
  return optimizerFactories[name](params, options);
}
