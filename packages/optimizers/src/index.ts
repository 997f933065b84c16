/**
 * The book's optimizers (section 6.1): {@link SGD}, {@link Momentum}, {@link AdaGrad} and
 * {@link Adam}, with {@link Nesterov}, {@link RMSprop} and {@link AdamW} beside them, in
 * torch.optim's shape; gradient clipping, learning-rate schedules and {@link createOptimizer}.
 *
 * @module @scratchnet/optimizers
 */
export type { OptimizerName } from './by-name.js';
export { createOptimizer, optimizerNames } from './by-name.js';
export { clipGradNorm } from './clip.js';
export type { OptimizerOptions, OptimizerState, SlotAccess } from './optimizer.js';
export { Optimizer } from './optimizer.js';
export type { AdamOptions, EpsOptions, MomentumOptions, RMSpropOptions } from './optimizers.js';
export { AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSprop, SGD } from './optimizers.js';
export type { Schedule } from './schedules.js';
export { cosineAnnealing, LrScheduler, linearWarmup, stepDecay } from './schedules.js';
