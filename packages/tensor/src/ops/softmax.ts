import { getBackend } from '../backend.js';
import { scope } from '../memory.js';
import { formatShape, normalizeAxis, ShapeError } from '../shape.js';
import { Tensor } from '../tensor.js';
import { exp, mul, sub } from './elementwise.js';
import { max, mean, sum } from './reduce.js';

/**
 * exp(x) / Σ exp(x) along `axis`, with the maximum subtracted first (the book's overflow fix,
 * section 3.5.2).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return scope(() => exp(logSoftmax(x, axis)));
}

/**
 * log(softmax(x)), computed as (x − m) − log Σ exp(x − m) with m the maximum, so that it stays
 * finite. Subtracting m before the logarithm (not adding it back to log Σ exp) keeps float32
 * precision for large logits: 1010 − logΣexp([1010, 1000, 990]) would lose the 4.5e-5 to rounding.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return scope(() => {
    const shifted = sub(x, max(x, axis, true).detach());
    return sub(shifted, sum(exp(shifted), axis, true).log());
  });
}

/** Class indices as one-hot rows: [N] → [N, numClasses]. */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses: number): Tensor {
  const values = labels instanceof Tensor ? labels.dataSync() : labels;
  const backend = labels instanceof Tensor ? labels.backend : getBackend();
  const out = new Float32Array(values.length * numClasses);
  for (let i = 0; i < values.length; i++) {
    const label = values[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(
        `oneHot: label ${label} at index ${i} is not a class index in [0, ${numClasses})`,
      );
    }
    out[i * numClasses + label] = 1;
  }
  return new Tensor(backend.upload(out), [values.length, numClasses], backend);
}

/**
 * How a loss combines the per-sample values: their mean (the book's), their sum, or none (one per
 * sample).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Softmax followed by cross-entropy (the book's SoftmaxWithLoss), from logits [N, C] and either
 * integer labels [N] or target distributions [N, C] (one-hot). Its gradient with respect to the
 * logits is (softmax − target) / N, as in the book.
 *
 * @example
 * softmaxCrossEntropy(tensor([[2, 0, 0]]), [0]).item() // 0.2395
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: Tensor | ArrayLike<number>,
  reduction: Reduction = 'mean',
): Tensor {
  if (logits.rank !== 2) {
    throw new ShapeError(
      `softmaxCrossEntropy: logits must be [batch, classes], got ${formatShape(logits.shape)}`,
    );
  }
  const [n, classes] = logits.shape as [number, number];
  if (n === 0) throw new ShapeError('softmaxCrossEntropy: the batch is empty');
  const isDistribution = target instanceof Tensor && target.rank === 2;
  if (isDistribution && (target.shape[0] !== n || target.shape[1] !== classes)) {
    throw new ShapeError(
      `softmaxCrossEntropy: target ${formatShape(target.shape)} does not match logits ${formatShape(logits.shape)}`,
    );
  }
  const count = target instanceof Tensor ? target.shape[0] : target.length;
  if (!isDistribution && count !== n) {
    throw new ShapeError(`softmaxCrossEntropy: ${count} labels for a batch of ${n}`);
  }
  return scope(() => {
    const probabilities = isDistribution ? (target as Tensor) : oneHot(target, classes);
    const perSample = sum(mul(probabilities, logSoftmax(logits, 1)), 1).neg();
    if (reduction === 'none') return perSample;
    return reduction === 'sum' ? sum(perSample) : mean(perSample);
  });
}

/** Class predictions: the index of the largest logit in each row. */
export function predictClasses(logits: Tensor, axis = -1): Int32Array {
  const a = normalizeAxis('predictClasses', axis, logits.rank);
  const classes = logits.argmax(a);
  try {
    return Int32Array.from(classes.dataSync());
  } finally {
    classes.dispose();
  }
}
