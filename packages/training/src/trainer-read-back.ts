import type { Optimizer } from '@scratchnet/optimizers';
import { noGrad, scope, stack, type Tensor } from '@scratchnet/tensor';
import { DivergenceError, DivergenceWatch } from './divergence.js';
import { findNonFiniteGradient, NonFiniteError } from './non-finite.js';
import { call, type TrainableModel, type TrainerOptions } from './trainer-options.js';

/** A step whose loss and accuracy have not been read back yet. */
export interface PendingStep {
  /** The step (1-based). */
  step: number;
  /** Its batch within the epoch (1-based). */
  batchIndex: number;
  /** The batch's loss, on the backend. */
  loss: Tensor;
  /** The batch's accuracy, on the backend. */
  accuracy: Tensor;
}

/** What one read gave: the finite losses, in step order, and whether the newest step is dropped. */
export interface ReadBack {
  /** The steps read. */
  steps: readonly PendingStep[];
  /** Their losses, but the newest one when it is skipped. */
  losses: Float32Array;
  /** Their accuracies, as many as `losses`. */
  accuracies: Float32Array;
  /** Why the newest step's batch is skipped (`onNonFinite: 'skip'`), or null. */
  skipped: string | null;
}

/** Where the trainer stands, for the messages. */
interface Whereabouts {
  /** The epoch under way (0-based). */
  epoch: number;
  /** Batches per epoch. */
  batches: number;
}

/**
 * The trainer's losses on their way back from the backend: each step's loss and accuracy wait on
 * the backend until `read`, which fetches them all in one asynchronous read, with the guard
 * against NaN and ±∞ (`onNonFinite`) and the watch for divergence (`onDivergence`).
 */
export class LossReadBack {
  private pending: PendingStep[] = [];
  /** Watches the losses read back for divergence (null with `onDivergence: 'off'`). */
  private readonly divergenceWatch: DivergenceWatch | null;

  constructor(
    private readonly model: TrainableModel,
    private readonly optimizer: Optimizer,
    private readonly options: TrainerOptions,
  ) {
    this.divergenceWatch =
      options.onDivergence === 'off' ? null : new DivergenceWatch(options.divergence);
  }

  /** Steps waiting to be read. */
  get size(): number {
    return this.pending.length;
  }

  /** Queues a step's loss and accuracy; `read` or `dispose` frees them. */
  push(step: PendingStep): void {
    this.pending.push(step);
  }

  /** Frees the steps not yet read. */
  dispose(): void {
    for (const p of this.pending) {
      p.loss.dispose();
      p.accuracy.dispose();
    }
    this.pending = [];
  }

  /**
   * Reads every pending loss back in one asynchronous read; checks the newest step (not yet
   * applied) for a NaN or infinite loss or gradient (`guard`, see {@link gradientGuard}). With
   * `onNonFinite: 'stop'` a bad value throws a `NonFiniteError` naming the step; with 'skip' the
   * newest step is reported as skipped. A divergence throws or calls `onDiverged`.
   */
  async read(currentStep: number, guard: Tensor | null, where: Whereabouts): Promise<ReadBack> {
    const pending = this.pending;
    this.pending = [];
    const n = pending.length;
    const packed = noGrad(() =>
      stack([
        ...pending.map((p) => p.loss),
        ...pending.map((p) => p.accuracy),
        ...(guard ? [guard] : []),
      ]),
    );
    for (const p of pending) {
      p.loss.dispose();
      p.accuracy.dispose();
    }
    guard?.dispose();
    let values: Float32Array;
    try {
      values = await packed.dataAsync();
    } finally {
      packed.dispose();
    }
    const losses = values.subarray(0, n);
    const accuracies = values.subarray(n, 2 * n);
    const gradientsFinite = !guard || Number.isFinite(values[2 * n]!);
    const badIndex = losses.findIndex((v) => !Number.isFinite(v));
    let problem: { at: PendingStep; tensorName: string; description: string } | null = null;
    if (badIndex >= 0) {
      problem = {
        at: pending[badIndex]!,
        tensorName: 'loss',
        description: `the loss is ${losses[badIndex]}`,
      };
    } else if (!gradientsFinite) {
      const found = await findNonFiniteGradient(this.model);
      if (found) problem = { at: pending.at(-1)!, ...found };
    }
    const place = (step: PendingStep) =>
      `step ${step.step} (epoch ${where.epoch + 1}, batch ${step.batchIndex} of ${where.batches})`;
    const described = problem && `${place(problem.at)}: ${problem.description}`;
    if (problem && (this.options.onNonFinite ?? 'stop') === 'stop') {
      const late =
        problem.at.step < currentStep
          ? ` It was read back at step ${currentStep}: the steps between were already applied.`
          : '';
      throw new NonFiniteError(
        `${described}. Training diverged: lower the learning rate (now ${this.optimizer.lr}), clip the gradients, or skip such batches (onNonFinite: 'skip').${late}`,
        problem.at.step,
        problem.tensorName,
        described!,
      );
    }
    // With 'skip' every step is read at once, so only the newest can be the bad one.
    const kept = problem ? n - 1 : n;
    const result: ReadBack = {
      steps: pending,
      losses: Float32Array.from(losses.subarray(0, kept)),
      accuracies: Float32Array.from(accuracies.subarray(0, kept)),
      skipped: problem ? `${described}; batch skipped` : null,
    };
    await this.watchDivergence(result, place);
    return result;
  }

  /** Feeds the finite losses to the divergence watch and acts on what it sees (once). */
  private async watchDivergence(
    { steps, losses }: ReadBack,
    place: (step: PendingStep) => string,
  ): Promise<void> {
    const watch = this.divergenceWatch;
    if (!watch || watch.divergence) return;
    for (let i = 0; i < losses.length; i++) {
      const divergence = watch.push(losses[i]!);
      if (!divergence) continue;
      const { step } = steps[i]!;
      const where = `${place(steps[i]!)}: ${divergence.message}`;
      if ((this.options.onDivergence ?? 'stop') === 'stop') {
        throw new DivergenceError(
          `${where}. Training diverged: lower the learning rate (now ${this.optimizer.lr}), clip the gradients (clipGradNorm), or let it go on with onDivergence: 'warn'.`,
          divergence,
          step,
        );
      }
      await call(this.options.callbacks?.onDiverged, { step, divergence, message: where });
      return;
    }
  }
}

/**
 * 0 when every gradient of `model` is finite, NaN or ±∞ otherwise, computed on the backend (so it
 * joins the losses' one read); null when no parameter has a gradient. With clipping, the gradient
 * norm already computed serves.
 */
export function gradientGuard(model: TrainableModel, gradNorm: Tensor | null): Tensor | null {
  return noGrad(() =>
    scope(() => {
      if (gradNorm) return gradNorm.mul(0);
      let total: Tensor | null = null;
      for (const p of model.parameters()) {
        if (!p.grad) continue;
        const term = p.grad.mul(0).sum();
        total = total ? total.add(term) : term;
      }
      return total;
    }),
  );
}
