import type { Tensor } from '@scratchnet/tensor';
import type { Evaluation } from './evaluate.js';
import type { TrainableModel, TrainerOptions } from './trainer-options.js';
import type { TrainerState } from './trainer-state.js';

/** The part of the trainer's state early stopping and keep-best update. */
type BestFields = Pick<TrainerState, 'best' | 'epochsWithoutImprovement' | 'stoppedEarly'>;

/**
 * Early stopping and keep-best: after each validation, whether the epoch is the best so far (by
 * `monitor`, better by more than `minDelta`), how many epochs have passed without one, and, with
 * `keepBest`, a snapshot of the best epoch's weights.
 */
export class BestEpochTracker {
  private snapshot: Record<string, Tensor> | null = null;

  constructor(
    private readonly model: TrainableModel,
    private readonly options: Pick<TrainerOptions, 'monitor' | 'earlyStopping' | 'keepBest'>,
  ) {}

  /** Records epoch `epoch`'s validation in `state`; sets `stoppedEarly` when patience runs out. */
  update(state: BestFields, epoch: number, validation: Evaluation): void {
    const monitor = this.options.monitor ?? 'loss';
    // Compared so that lower is better.
    const value = monitor === 'loss' ? validation.loss : -validation.accuracy;
    const minDelta = this.options.earlyStopping?.minDelta ?? 0;
    if (!state.best || value < state.best.value - minDelta) {
      state.best = { epoch, value };
      state.epochsWithoutImprovement = 0;
      // The snapshot's handles share the weights' buffers of this moment (later steps assign
      // new ones); the snapshot it replaces is let go.
      if (this.options.keepBest) this.replace(this.model.stateDict());
    } else {
      state.epochsWithoutImprovement++;
      const patience = this.options.earlyStopping?.patience;
      if (patience !== undefined && state.epochsWithoutImprovement >= patience) {
        state.stoppedEarly = true;
      }
    }
  }

  /** The best epoch's weights (with `keepBest`), or null before the first validation. */
  get weights(): Record<string, Tensor> | null {
    return this.snapshot;
  }

  /** Takes `weights` as the snapshot (a checkpoint's), freeing the one it replaces. */
  replace(weights: Record<string, Tensor> | null): void {
    for (const t of Object.values(this.snapshot ?? {})) t.dispose();
    this.snapshot = weights;
  }

  /** Loads the best epoch's weights into the model, when there is a snapshot. */
  restore(): void {
    if (this.snapshot) this.model.loadStateDict(this.snapshot);
  }

  /** Frees the snapshot. */
  dispose(): void {
    this.replace(null);
  }
}
