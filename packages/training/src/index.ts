/**
 * Training in one call: {@link fit} and the {@link Trainer} it wraps (the book's `Trainer`,
 * common/trainer.py), {@link evaluate}, {@link predict}, learning-rate schedules, early stopping, keep-best, a guard
 * against NaN and divergence, and the book's chapter-6 experiments (optimizer, weight-init and
 * batch-norm comparisons, overfitting, hyperparameter search, gradient checks).
 *
 * @module @scratchnet/training
 */
export type { ArrayData } from './array-data.js';
export type { Divergence, DivergenceKind, DivergenceOptions } from './divergence.js';
export { DivergenceError, DivergenceWatch, detectDivergence } from './divergence.js';
export type { EvaluateOptions, Evaluation } from './evaluate.js';
export { evaluate, formatConfusion, formatPercent } from './evaluate.js';
export type {
  ActivationHistogramOptions,
  ActivationHistograms,
  HistogramActivation,
  WeightInitName,
} from './experiments/activation-histograms.js';
export {
  activationHistograms,
  WEIGHT_INITS,
  weightInitStd,
} from './experiments/activation-histograms.js';
export type { BatchNormRun, CompareBatchNormOptions } from './experiments/batch-norm-compare.js';
export {
  BATCH_NORM_WEIGHT_SCALES,
  compareBatchNorm,
  logspace,
} from './experiments/batch-norm-compare.js';
export type { BookTrainerOptions, BookTrainerResult } from './experiments/book-trainer.js';
export { runBookTrainer } from './experiments/book-trainer.js';
export type {
  GradientsByName,
  NumericalGradientOptions,
} from './experiments/gradient-check.js';
export {
  backpropGradients,
  gradientCheck,
  numericalGradients,
} from './experiments/gradient-check.js';
export type {
  Contender,
  LockstepOptions,
  LossCurve,
  LossRaceOptions,
} from './experiments/lockstep.js';
export { drawBatchIndices, lossRace, trainInLockstep } from './experiments/lockstep.js';
export type { CompareOptimizersOptions } from './experiments/optimizer-compare.js';
export { BOOK_MNIST_LR, compareOptimizers } from './experiments/optimizer-compare.js';
export type { RaceOptimizer } from './experiments/optimizer-race.js';
export {
  BOOK_RACE_LR,
  bookOptimizer,
  bowl,
  RACE_OPTIMIZERS,
  RACE_START,
  racePath,
} from './experiments/optimizer-race.js';
export type { OverfitOptions } from './experiments/overfit.js';
export { overfitExperiment } from './experiments/overfit.js';
export type { RandomSearchOptions, Trial } from './experiments/random-search.js';
export { randomSearch } from './experiments/random-search.js';
export { kaiserWindow, smoothCurve } from './experiments/smooth-curve.js';
export type { CompareWeightInitsOptions } from './experiments/weight-init.js';
export { BOOK_WEIGHT_INITS, compareWeightInits } from './experiments/weight-init.js';
export type { LrScheduleSpec, LrScheduleType } from './lr-schedule.js';
export { buildLrSchedule, checkLrScheduleSpec, lrScheduleTypes } from './lr-schedule.js';
export { findNonFiniteGradient, NonFiniteError } from './non-finite.js';
export type { PredictInput, Prediction, PredictModel } from './predict.js';
export { predict, predictAsync } from './predict.js';
export type {
  EpochResult,
  FitResult,
  LogInfo,
  Monitor,
  SetupDifference,
  StepInfo,
  TrainableModel,
  TrainerCallbacks,
  TrainerOptions,
  TrainerSetup,
  TrainerState,
} from './trainer.js';
export { fit, Trainer, TrainerSetupError } from './trainer.js';
