import type { Network } from '@scratchnet/layers';
import { numericalGradient, scope, type Tensor } from '@scratchnet/tensor';

/** Gradients by parameter state name ('fc1.weight', 'bn1.bias', …). */
export type GradientsByName = Record<string, Tensor>;

/**
 * The book's `numerical_gradient(x, t)` for any network: the central difference of its training
 * loss (training mode: batch norm on the batch's statistics, as the book's `train_flg=True`) for
 * every parameter value in turn, two forward passes each. The parameters are left as they were.
 * `h` defaults to 1e-2, not the book's 1e-4: the loss here is float32, known to ~1e-7, and that
 * error divided by 2h would swamp small gradients.
 */
export function numericalGradients(
  network: Network,
  x: Tensor,
  t: Tensor | ArrayLike<number>,
  { h = 1e-2 }: { h?: number } = {},
): GradientsByName {
  const grads: GradientsByName = {};
  network.train();
  for (const [name, p] of network.namedParameters()) {
    const original = p.detach();
    try {
      grads[name] = numericalGradient(
        (perturbed) => {
          p.assign(perturbed);
          return scope(() => network.loss(x, t).item());
        },
        original,
        h,
      );
    } finally {
      p.assign(original);
    }
  }
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
  options: { h?: number } = {},
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
