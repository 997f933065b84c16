import type { Network } from '@scratchnet/layers';
import { noGrad, numericalGradient, scope, Tensor } from '@scratchnet/tensor';

/** Gradients by parameter state name ('fc1.weight', 'bn1.bias', …). */
export type GradientsByName = Record<string, Tensor>;

/** Options of `numericalGradients` and `gradientCheck`. */
export interface NumericalGradientOptions {
  /**
   * Where the loss is taken:
   * - `'float32'` (default): the network's own `loss`, all in float32. The loss (~2.3) is known to
   *   ~2.4e-7, so the step must be large (`h` 1e-2) to rise above that, and a step that large
   *   crosses ReLU's kink for every unit whose input lies within 1e-2 of 0.
   * - `'float64'`: the network's float32 logits, then the softmax cross-entropy (and the weight
   *   decay penalty) in float64. The logits are known far better than the loss (to ~1e-7 of
   *   their own size), so a small step works, below most ReLU inputs: the way to check the
   *   book's ReLU networks in float32.
   */
  lossPrecision?: 'float32' | 'float64';
  /** The central difference's step: 1e-2 for a float32 loss, 1e-4 (the book's) for float64. */
  h?: number;
}

/**
 * The softmax cross-entropy, averaged over the batch, in float64 from float32 logits [N, C]:
 * log Σ exp(z − max) + max − z[t] per sample; `labels` are class indices or one-hot rows.
 */
function softmaxCrossEntropy64(
  logits: ArrayLike<number>,
  classes: number,
  labels: ArrayLike<number>,
): number {
  const n = logits.length / classes;
  const oneHot = labels.length === logits.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c]! - max);
    const logSum = max + Math.log(sum);
    if (oneHot) {
      for (let c = 0; c < classes; c++) {
        total += labels[i * classes + c]! * (logSum - logits[i * classes + c]!);
      }
    } else {
      total += logSum - logits[i * classes + labels[i]!]!;
    }
  }
  return total / n;
}

/**
 * The book's `numerical_gradient(x, t)` for any network: the central difference of its training
 * loss (training mode: batch norm on the batch's statistics, as the book's `train_flg=True`) for
 * every parameter value in turn, two forward passes each. The parameters are left as they were.
 * The book computes in float64 with h = 1e-4; see {@link NumericalGradientOptions} for float32's
 * two ways.
 *
 * @example
 * const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, activation: 'relu' });
 * const numerical = numericalGradients(net, x, t, { lossPrecision: 'float64' });
 * numerical['fc1.weight']; // [50, 784], as backpropGradients(net, x, t)['fc1.weight']
 */
export function numericalGradients(
  network: Network,
  x: Tensor,
  t: Tensor | ArrayLike<number>,
  { lossPrecision = 'float32', h }: NumericalGradientOptions = {},
): GradientsByName {
  const step = h ?? (lossPrecision === 'float64' ? 1e-4 : 1e-2);
  const labels = t instanceof Tensor ? t.dataSync() : t;
  const loss =
    lossPrecision === 'float64'
      ? () =>
          scope(() => {
            const logits = network.apply(x);
            const penalty = network.weightDecayPenalty()?.item() ?? 0;
            return softmaxCrossEntropy64(logits.dataSync(), logits.shape.at(-1)!, labels) + penalty;
          })
      : () => scope(() => network.loss(x, t).item());
  const grads: GradientsByName = {};
  network.train();
  noGrad(() => {
    for (const [name, p] of network.namedParameters()) {
      const original = p.detach();
      try {
        grads[name] = numericalGradient(
          (perturbed) => {
            p.assign(perturbed);
            return loss();
          },
          original,
          step,
        );
      } finally {
        p.assign(original);
      }
    }
  });
  return grads;
}

/** The book's `gradient(x, t)` for any network: backpropagation of its training loss. */
export function backpropGradients(
  network: Network,
  x: Tensor,
  t: Tensor | ArrayLike<number>,
): GradientsByName {
  network.train();
  network.zeroGrad();
  scope(() => network.loss(x, t).backward());
  return Object.fromEntries(
    network.namedParameters().map(([name, p]) => {
      if (!p.grad) throw new Error(`backpropGradients: ${name} received no gradient`);
      return [name, p.grad.detach()];
    }),
  );
}

/**
 * The book's gradient check (`ch05/gradient_check.py`, `ch06/batch_norm_gradient_check.py`):
 * for every parameter, the mean |backpropagation − numerical gradient| over its values, in the
 * network's parameter order.
 */
export function gradientCheck(
  network: Network,
  x: Tensor,
  t: Tensor | ArrayLike<number>,
  options: NumericalGradientOptions = {},
): {
  /** The parameter's state name, e.g. 'fc1.weight' (the book's 'W1'). */
  name: string;
  /** The mean |backpropagation − numerical gradient| over its values. */
  meanAbsDifference: number;
}[] {
  const numerical = numericalGradients(network, x, t, options);
  const backprop = backpropGradients(network, x, t);
  return Object.entries(numerical).map(([name, grad]) => {
    const a = backprop[name]!.dataSync();
    const b = grad.dataSync();
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    return { name, meanAbsDifference: sum / a.length };
  });
}
