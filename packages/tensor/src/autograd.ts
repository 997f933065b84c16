import { isGradEnabled, withGradMode } from './grad-mode.js';
import { type GradContext, gradRules, type Rule } from './grad-rules.js';
import { type GradNode, type Prim, run, wrap } from './primitives.js';
import { formatShape, ShapeError, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/** Options of `Tensor.backward`, PyTorch's keyword arguments. */
export interface BackwardOptions {
  /**
   * Record the backward pass itself, as PyTorch's `create_graph=True`: the gradient rules run as
   * ordinary recorded ops, so the `.grad` tensors they give have `requiresGrad` (where they depend
   * on a tensor that does) and can be differentiated again, for a second derivative, a
   * Hessian-vector product or a gradient penalty. Default false: the pass runs as in `noGrad`.
   */
  createGraph?: boolean;
}

/**
 * Every tensor `root` depends on through recorded ops, inputs before the tensors made from them.
 * The walk does not go past a tensor of `stops` (the inputs `gradientsOf` differentiates for).
 */
function topologicalOrder(root: Tensor, stops: ReadonlySet<Tensor> | null): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep networks would overflow the call stack of a recursive one.
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    if (stops?.has(t)) continue;
    for (const input of t.node?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
    }
  }
  return order;
}

/** The tensors of `order` (inputs first) from which one of `targets` can be reached. */
function reaching(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const found = new Set<Tensor>();
  for (const t of order) {
    if (targets.has(t) || t.node?.inputs.some((input) => found.has(input))) found.add(t);
  }
  return found;
}

function applyRule<P extends Prim>(
  node: GradNode & { prim: P },
  g: Tensor,
  output: Tensor,
  needsGrad: readonly boolean[],
): readonly (Tensor | null)[] {
  const rule = gradRules[node.prim] as Rule<P>;
  const ctx: GradContext<P> = {
    inputs: node.inputs,
    output,
    params: node.params as GradContext<P>['params'],
    needsGrad,
  };
  return rule(g, ctx);
}

/**
 * Reverse-mode differentiation: a topological sort and one loop, as in micrograd. Each tensor
 * where the walk ends (a leaf, or one of `targets`) is handed to `arrive` with its gradient.
 * With `createGraph` the rules' ops are recorded (so the gradients are differentiable), else
 * they run as in `noGrad`.
 */
function backpropagate(
  root: Tensor,
  seed: Tensor,
  createGraph: boolean,
  targets: ReadonlySet<Tensor> | null,
  arrive: (t: Tensor, g: Tensor) => void,
): void {
  withGradMode(createGraph, () => {
    const order = topologicalOrder(root, targets);
    // Only what leads to a target needs a gradient: parameters a function closes over are skipped.
    const relevant = targets === null ? null : reaching(order, targets);
    const wanted = (t: Tensor) => t.requiresGrad && (relevant === null || relevant.has(t));
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t); // free intermediate gradients as soon as they are used
      if (t.node === null || targets?.has(t)) {
        arrive(t, g);
        continue;
      }
      const needsGrad = t.node.inputs.map(wanted);
      const inputGrads = applyRule(t.node, g, t, needsGrad);
      t.node.inputs.forEach((input, j) => {
        const ig = inputGrads[j];
        if (!needsGrad[j] || !ig) return;
        const previous = grads.get(input);
        grads.set(input, previous ? previous.add(ig) : ig);
      });
    }
  });
}

/** Ones in the shape of `t`, on its backend: the seed of a scalar's backward pass. */
function onesOf(t: Tensor): Tensor {
  return wrap(t.backend, t.backend.fill(t.size, 1), t.shape);
}

/** `Tensor.backward`: adds the gradient of `root` to the `.grad` of every leaf that requires it. */
export function autogradBackward(
  root: Tensor,
  seed?: Tensor,
  { createGraph = false }: BackwardOptions = {},
): void {
  if (!root.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad (no input had requiresGrad: true)',
    );
  }
  if (seed === undefined && root.size !== 1) {
    throw new ShapeError(
      `backward: the tensor has shape ${formatShape(root.shape)}; a non-scalar needs its upstream gradient, as backward(grad)`,
    );
  }
  if (seed !== undefined && !shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(
      `backward: gradient shape ${formatShape(seed.shape)} differs from the tensor's ${formatShape(root.shape)}`,
    );
  }
  backpropagate(root, seed ?? onesOf(root), createGraph, null, (leaf, g) => {
    leaf.grad = leaf.grad === null ? g : leaf.grad.add(g);
  });
}

/**
 * The gradients of the one-element tensor `root` with respect to `inputs` (any tensors of its
 * graph, not only leaves), as `torch.autograd.grad`: returned in order, null for an input `root`
 * does not depend on. No `.grad` is touched, and the walk stops at the inputs.
 */
export function gradientsOf(
  root: Tensor,
  inputs: readonly Tensor[],
  createGraph: boolean,
): (Tensor | null)[] {
  const found = new Map<Tensor, Tensor>();
  if (root.requiresGrad) {
    backpropagate(root, onesOf(root), createGraph, new Set(inputs), (t, g) => {
      if (inputs.includes(t)) found.set(t, g);
    });
  }
  return inputs.map((t) => found.get(t) ?? null);
}

/**
 * The gradient of a scalar function, as a function: `grad(f)(x)` is df/dx at x, a tensor of the
 * shape of x (jax's `grad`, PyTorch's `torch.func.grad`). `f` is differentiated with respect to
 * its first argument; further arguments are passed through unchanged. Transforms compose, so
 * `grad(grad(f))` is the second derivative of a function of one value, and so on.
 *
 * `f` must return a single value. Where it does not depend on x, the gradient is zeros. Whatever
 * x is, `f` sees a tensor that records gradients (so it also works inside `noGrad`); the backward
 * pass is recorded when gradients are being recorded where `grad(f)(x)` is called (not inside
 * `noGrad`), so that its result can itself be differentiated, by `grad` or `backward()`:
 * a gradient penalty, for instance.
 *
 * @example
 * const f = (x: Tensor) => x.pow(3).sum(); // f(x) = Σ x³
 * grad(f)(tensor([1, 2])).toArray(); // [3, 12]: 3x²
 * const d2 = grad(grad((x: Tensor) => x.tanh())); // tanh'' = −2·tanh·(1 − tanh²)
 * d2(tensor(0.5)).item(); // −0.7269
 */
export function grad<A extends unknown[]>(
  f: (x: Tensor, ...rest: A) => Tensor,
): (x: Tensor, ...rest: A) => Tensor {
  return (x: Tensor, ...rest: A): Tensor => {
    const record = isGradEnabled();
    return withGradMode(true, () => {
      // A new node of its own, so that only the uses of f's argument count (not those of a tensor
      // f closes over that happens to be x): the identity on a tracked x, a new leaf on the others.
      const input = x.requiresGrad
        ? run('reshape', [x], { shape: x.shape })
        : x.detach().requireGrad();
      const y = f(input, ...rest);
      if (y.size !== 1) {
        throw new ShapeError(
          `grad: the function must return a single value, got shape ${formatShape(y.shape)}`,
        );
      }
      const [dx] = gradientsOf(y, [input], record);
      return dx ?? wrap(x.backend, x.backend.fill(x.size, 0), x.shape);
    });
  };
}
