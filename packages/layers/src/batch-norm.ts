import {
  formatShape,
  full,
  noGrad,
  ones,
  ShapeError,
  type Tensor,
  zeros,
} from '@scratchnet/tensor';
import { Module } from './module.js';
import { type Parameter, parameterFrom } from './parameter.js';

/** Options of `BatchNorm1d` and `BatchNorm2d`. */
export interface BatchNormOptions {
  /** Added to the variance before the square root: PyTorch's 1e-5 (the book uses 1e-7 inside √). */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics: running = (1 − m)·running + m·batch.
   * PyTorch's 0.1 is the book's `momentum=0.9` written the other way round.
   */
  momentum?: number;
  /** Learn a scale γ and shift β (the book's gamma and beta). */
  affine?: boolean;
  /**
   * Update the running variance with the unbiased batch variance (PyTorch) rather than the biased
   * one (the book's BatchNormalization).
   */
  unbiasedRunningVar?: boolean;
  /**
   * The running variance before the first batch: PyTorch's 1, or the book's 0 (its
   * BatchNormalization starts both running statistics at zeros). It matters early on: at weight
   * scales like 1e-4 a layer's true variance is tiny, and a start at 1 keeps inference-mode
   * outputs near zero for the first epochs (figure 6-19 then shows batch norm as slow).
   */
  initialRunningVar?: number;
}

/**
 * Batch normalisation (the book's chapter 6.3): normalise each channel by the batch's mean and
 * variance while training, by running averages of them at inference, then scale and shift.
 * State names match PyTorch: weight, bias, running_mean, running_var, num_batches_tracked.
 */
abstract class BatchNorm extends Module {
  /** The learned scale γ [numFeatures] (the book's `gamma`), or null without `affine`. */
  readonly weight: Parameter | null;
  /** The learned shift β [numFeatures] (the book's `beta`), or null without `affine`. */
  readonly bias: Parameter | null;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Weight of each new batch in the running statistics. */
  readonly momentum: number;
  /**
   * Whether the running variance takes the unbiased batch variance (PyTorch) or the biased one (the
   * book).
   */
  readonly unbiasedRunningVar: boolean;
  /** The running variance before the first batch (1 as PyTorch, 0 as the book). */
  readonly initialRunningVar: number;

  /**
   * @param options - eps, momentum, affine and the running variance's estimate: see {@link
   *   BatchNormOptions}.
   */
  constructor(
    /** Channels (or features) normalised, each with its own statistics. */
    readonly numFeatures: number,
    {
      eps = 1e-5,
      momentum = 0.1,
      affine = true,
      unbiasedRunningVar = true,
      initialRunningVar = 1,
    }: BatchNormOptions = {},
  ) {
    super();
    if (!(Number.isFinite(initialRunningVar) && initialRunningVar >= 0)) {
      throw new RangeError(
        `BatchNorm(${numFeatures}): initialRunningVar must be a finite number ≥ 0, got ${initialRunningVar}`,
      );
    }
    this.initialRunningVar = initialRunningVar;
    this.eps = eps;
    this.momentum = momentum;
    this.unbiasedRunningVar = unbiasedRunningVar;
    this.weight = affine ? parameterFrom(ones([numFeatures])) : null;
    this.bias = affine ? parameterFrom(zeros([numFeatures])) : null;
    this.setBuffer('running_mean', zeros([numFeatures]));
    this.setBuffer('running_var', full([numFeatures], initialRunningVar));
    this.setBuffer('num_batches_tracked', zeros([]));
  }

  /** Axes the statistics are taken over, after checking the input's rank. */
  protected abstract statisticAxes(x: Tensor): number[];

  forward(x: Tensor): Tensor {
    const axes = this.statisticAxes(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `${this.typeName}(${this.numFeatures}): input shape ${formatShape(x.shape)} has ${x.shape[1]} channels on axis 1, expected ${this.numFeatures}`,
      );
    }
    // [C] → [1, C, 1, …] so it broadcasts over every axis but the channels.
    const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
    let mean: Tensor;
    let variance: Tensor;
    if (this.training) {
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      if (count < 2) {
        throw new ShapeError(
          `${this.typeName}: training needs more than one value per channel, got input ${formatShape(x.shape)}`,
        );
      }
      mean = x.mean(axes, true);
      variance = x.sub(mean).square().mean(axes, true);
      noGrad(() => {
        const m = this.momentum;
        const batchVar = this.unbiasedRunningVar ? variance.mul(count / (count - 1)) : variance;
        this.setBuffer(
          'running_mean',
          this.getBuffer('running_mean')
            .mul(1 - m)
            .add(mean.reshape([-1]).mul(m)),
        );
        this.setBuffer(
          'running_var',
          this.getBuffer('running_var')
            .mul(1 - m)
            .add(batchVar.reshape([-1]).mul(m)),
        );
        this.setBuffer('num_batches_tracked', this.getBuffer('num_batches_tracked').add(1));
      });
    } else {
      mean = this.getBuffer('running_mean').reshape(perChannel);
      variance = this.getBuffer('running_var').reshape(perChannel);
    }
    let y = x.sub(mean).div(variance.add(this.eps).sqrt());
    if (this.weight && this.bias)
      y = y.mul(this.weight.reshape(perChannel)).add(this.bias.reshape(perChannel));
    return y;
  }
}

/**
 * Batch normalisation (the book's BatchNormalization, section 6.3) over [N, C] or [N, C, L]
 * inputs, after Linear layers: statistics per feature. State names as PyTorch's `nn.BatchNorm1d`.
 */
export class BatchNorm1d extends BatchNorm {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'BatchNorm1d';

  protected statisticAxes(x: Tensor): number[] {
    if (x.rank !== 2 && x.rank !== 3) {
      throw new ShapeError(
        `BatchNorm1d: input must be [N, C] or [N, C, L], got ${formatShape(x.shape)}`,
      );
    }
    return x.rank === 2 ? [0] : [0, 2];
  }
}

/**
 * Batch normalisation (section 6.3) over [N, C, H, W] inputs, after convolutions: statistics per
 * channel, as PyTorch's `nn.BatchNorm2d`.
 */
export class BatchNorm2d extends BatchNorm {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'BatchNorm2d';

  protected statisticAxes(x: Tensor): number[] {
    if (x.rank !== 4)
      throw new ShapeError(`BatchNorm2d: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
    return [0, 2, 3];
  }
}
