import { isGradEnabled, withGradMode } from './grad-mode.js';
import { type GradContext, gradRules, type Rule } from './grad-rules.js';
import { keep, scope } from './memory.js';
import { type GradNode, type Prim, run, wrap } from './primitives.js';
import { formatShape, ShapeError, shapesEqual } from './shape.js';
import { releaseNode, releaseTensor, retainTensor, type Tensor } from './tensor.js';

/** Options of `Tensor.backward`, PyTorch's keyword arguments. */
export interface BackwardOptions {
  /**
   * Record the backward pass itself, as PyTorch's `create_graph=True`: the gradient rules run as
   * ordinary recorded ops, so the `.grad` tensors they give have `requiresGrad` (where they depend
   * on a tensor that does) and can be differentiated again, for a second derivative, a
   * Hessian-vector product or a gradient penalty. Default false: the pass runs as in `noGrad`.
   */
  createGraph?: boolean;
  /**
   * Keep what the recorded ops saved, so that a second `backward()` can go through the same
   * graph, as PyTorch's `retain_graph=True`. Default: `createGraph`. Without it the pass frees
   * each op's saved tensors as soon as its gradient rule has run, and a second backward through
   * the graph is an error that says so.
   */
  retainGraph?: boolean;
}

const FREED_GRAPH =
  'the graph behind this tensor was already freed by an earlier backward() (which lets go of what each op saved, as PyTorch does). To go through the same graph twice, pass { retainGraph: true } to the first backward()';

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
    if (t.refs <= 0) {
      throw new Error(
        `backward: a tensor of shape ${formatShape(t.shape)} in the graph was disposed, and nothing kept its values`,
      );
    }
    if (t.node?.released) throw new Error(`backward: ${FREED_GRAPH}`);
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
 * where the walk ends (a leaf, or one of `targets`) is handed to `arrive` with its gradient, which
 * it then owns. `seed` is the pass's own. With `createGraph` the rules' ops are recorded (so the
 * gradients are differentiable), else they run as in `noGrad`. Every intermediate gradient is
 * freed once used, and without `retainGraph` so is what each op saved, once its rule has run.
 */
function backpropagate(
  root: Tensor,
  seed: Tensor,
  { createGraph, retainGraph }: Required<BackwardOptions>,
  targets: ReadonlySet<Tensor> | null,
  arrive: (t: Tensor, g: Tensor) => void,
): void {
  withGradMode(createGraph, () => {
    let order: Tensor[];
    try {
      order = topologicalOrder(root, targets);
    } catch (error) {
      seed.dispose();
      throw error;
    }
    // Only what leads to a target needs a gradient: parameters a function closes over are skipped.
    const relevant = targets === null ? null : reaching(order, targets);
    const wanted = (t: Tensor) => t.requiresGrad && (relevant === null || relevant.has(t));
    // Each tensor of the walk is held until its own rule has run: a rule reads the op's output
    // and inputs, which the rules of the ops after it would otherwise have let go of already.
    for (const t of order) retainTensor(t);
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    let i = order.length - 1;
    try {
      for (; i >= 0; i--) {
        const t = order[i]!;
        const g = grads.get(t);
        const ends = t.node === null || targets?.has(t) === true;
        if (g) {
          grads.delete(t);
          if (ends) arrive(t, g);
          else passToInputs(t, t.node!, g, wanted, grads);
        }
        if (!ends && !retainGraph) releaseNode(t.node!);
        releaseTensor(t);
      }
    } finally {
      // Only after an error: the rest of the walk lets go of what it holds.
      for (; i >= 0; i--) releaseTensor(order[i]!);
      for (const g of grads.values()) g.dispose();
    }
  });
}

/** Applies `t`'s rule to its gradient `g` and adds the results to its inputs' gradients. */
function passToInputs(
  t: Tensor,
  node: GradNode,
  g: Tensor,
  wanted: (t: Tensor) => boolean,
  grads: Map<Tensor, Tensor>,
): void {
  const needsGrad = node.inputs.map(wanted);
  // The rule's temporaries go when it returns; what it returns is passed on below.
  const inputGrads = scope(() => applyRule(node, g, t, needsGrad));
  const passed = new Set<Tensor>();
  node.inputs.forEach((input, j) => {
    let ig = inputGrads[j];
    if (!needsGrad[j] || !ig) return;
    // A rule may hand back `g` itself, or one tensor for two inputs: each entry owns its own
    // handle (sharing the buffer), so that freeing one leaves the others.
    if (ig === g || passed.has(ig)) ig = ig.detach();
    passed.add(ig);
    const previous = grads.get(input);
    if (previous) {
      grads.set(input, previous.add(ig));
      previous.dispose();
      ig.dispose();
    } else {
      grads.set(input, ig);
    }
  });
  for (const ig of inputGrads) if (ig && ig !== g && !passed.has(ig)) ig.dispose();
  g.dispose();
}

/** Ones in the shape of `t`, on its backend: the seed of a scalar's backward pass. */
function onesOf(t: Tensor): Tensor {
  return wrap(t.backend, t.backend.fill(t.size, 1), t.shape);
}

/** `Tensor.backward`: adds the gradient of `root` to the `.grad` of every leaf that requires it. */
export function autogradBackward(
  root: Tensor,
  seed?: Tensor,
  { createGraph = false, retainGraph = createGraph }: BackwardOptions = {},
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
  if (root.node?.released) throw new Error(`backward: ${FREED_GRAPH}`);
  backpropagate(
    root,
    ownSeed(root, seed, createGraph),
    { createGraph, retainGraph },
    null,
    (leaf, g) => {
      const previous = leaf.grad;
      if (previous === null) {
        leaf.grad = keep(g);
      } else if (createGraph || previous.node !== null) {
        // Out of place, as PyTorch with create_graph: the sum is part of the recorded graph. The
        // previous gradient may be held by the caller (a first derivative), so it is left alone.
        leaf.grad = keep(previous.add(g));
        g.dispose();
      } else {
        // In place, as PyTorch: a caller holding `leaf.grad` sees the sum.
        const sum = previous.add(g);
        previous.assign(sum);
        sum.dispose();
        g.dispose();
      }
    },
  );
}

/**
 * The pass's own handle on the seed (the caller's stays theirs): ones for a scalar, else the
 * caller's gradient, kept in the graph where it is recorded and requires grad.
 */
function ownSeed(root: Tensor, seed: Tensor | undefined, createGraph: boolean): Tensor {
  if (seed === undefined) return onesOf(root);
  if (createGraph && seed.requiresGrad) {
    return withGradMode(true, () => run('reshape', [seed], { shape: seed.shape }));
  }
  return seed.detach();
}

/**
 * The gradients of the one-element tensor `root` with respect to `inputs` (any tensors of its
 * graph, not only leaves), as `torch.autograd.grad`: returned in order, null for an input `root`
 * does not depend on. No `.grad` is touched, and the walk stops at the inputs. Without
 * `createGraph`, the graph between `root` and the inputs is freed.
 */
export function gradientsOf(
  root: Tensor,
  inputs: readonly Tensor[],
  createGraph: boolean,
): (Tensor | null)[] {
  const found = new Map<Tensor, Tensor>();
  if (root.requiresGrad) {
    const options = { createGraph, retainGraph: createGraph };
    backpropagate(root, onesOf(root), options, new Set(inputs), (t, g) => {
      if (inputs.includes(t) && !found.has(t)) found.set(t, g);
      else g.dispose();
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
      try {
        // f's own temporaries go when it returns (the graph keeps what the gradient needs).
        const y = scope(() => f(input, ...rest));
        try {
          if (y.size !== 1) {
            throw new ShapeError(
              `grad: the function must return a single value, got shape ${formatShape(y.shape)}`,
            );
          }
          const [dx] = gradientsOf(y, [input], record);
          return dx ?? wrap(x.backend, x.backend.fill(x.size, 0), x.shape);
        } finally {
          // Safe even when recorded: the ops of the gradient's graph hold what they need.
          y.dispose();
        }
      } finally {
        input.dispose();
      }
    });
  };
}
