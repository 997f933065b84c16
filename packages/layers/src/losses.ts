import {
  formatShape,
  type Reduction,
  ShapeError,
  softmaxCrossEntropy,
  type Tensor,
} from '@scratchnet/tensor';

export { softmaxCrossEntropy };

function checkSameShape(op: string, y: Tensor, t: Tensor): void {
  if (y.rank !== t.rank || y.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(
      `${op}: prediction ${formatShape(y.shape)} and target ${formatShape(t.shape)} differ`,
    );
  }
}

/** Mean squared error, as PyTorch's `F.mse_loss`: mean (or sum) of (y − t)². */
export function mseLoss(
  y: Tensor,
  t: Tensor,
  reduction: Exclude<Reduction, 'none'> = 'mean',
): Tensor {
  checkSameShape('mseLoss', y, t);
  const squared = y.sub(t).square();
  return reduction === 'sum' ? squared.sum() : squared.mean();
}

/** The book's `mean_squared_error` (chapter 4.2.1): ½·Σ(y − t)², summed over everything. */
export function halfSumSquaredError(y: Tensor, t: Tensor): Tensor {
  checkSameShape('halfSumSquaredError', y, t);
  return y.sub(t).square().sum().mul(0.5);
}

/**
 * The book's SoftmaxWithLoss as a module: logits and labels (class indices or one-hot) in, the
 * mean cross-entropy out.
 */
export class SoftmaxCrossEntropyLoss {
  constructor(
    /** How the per-sample losses combine: their mean (the book's, the default), sum, or none. */
    readonly reduction: Reduction = 'mean',
  ) {}

  /** The loss of `logits` [N, C] against `target` (class indices [N] or one-hot [N, C]). */
  forward(logits: Tensor, target: Tensor | ArrayLike<number>): Tensor {
    return softmaxCrossEntropy(logits, target, this.reduction);
  }
}
