export const modelNames = ['mlp', 'simple-convnet', 'deep-convnet'] as const;
export type ModelName = (typeof modelNames)[number];

export const datasetNames = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof datasetNames)[number];

export { createOptimizer, type OptimizerName, optimizerNames } from '@scratchnet/optimizers';
