export type { EvaluateOptions, Evaluation } from './evaluate.js';
export { evaluate, formatConfusion, formatPercent } from './evaluate.js';
export type { LrScheduleSpec, LrScheduleType } from './lr-schedule.js';
export { buildLrSchedule, checkLrScheduleSpec, lrScheduleTypes } from './lr-schedule.js';
export { findNonFiniteGradient, NonFiniteError } from './non-finite.js';
export type {
  EpochResult,
  FitResult,
  LogInfo,
  Monitor,
  StepInfo,
  TrainableModel,
  TrainerCallbacks,
  TrainerOptions,
  TrainerState,
} from './trainer.js';
export { fit, Trainer } from './trainer.js';
