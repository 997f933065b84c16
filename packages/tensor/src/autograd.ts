import { noGrad } from './grad-mode.js';
import { type GradContext, gradRules, type Rule } from './grad-rules.js';
import { type GradNode, type Prim, wrap } from './primitives.js';
import { formatShape, ShapeError, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/** Every tensor `root` depends on through recorded ops, inputs before the tensors made from them. */
function topologicalOrder(root: Tensor): Tensor[] {
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
    for (const input of t.node?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
    }
  }
  return order;
}

function applyRule<P extends Prim>(
  node: GradNode & { prim: P },
  g: Tensor,
  output: Tensor,
): readonly (Tensor | null)[] {
  const rule = gradRules[node.prim] as Rule<P>;
  const ctx: GradContext<P> = {
    inputs: node.inputs,
    output,
    params: node.params as GradContext<P>['params'],
    needsGrad: node.inputs.map((t) => t.requiresGrad),
  };
  return rule(g, ctx);
}

/** Reverse-mode differentiation: a topological sort and one loop, as in micrograd. */
export function autogradBackward(root: Tensor, seed?: Tensor): void {
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
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>();
    grads.set(root, seed ?? wrap(root.backend, root.backend.fill(root.size, 1), root.shape));
    const order = topologicalOrder(root);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t); // free intermediate gradients as soon as they are used
      if (t.node === null) {
        t.grad = t.grad === null ? g : t.grad.add(g);
        continue;
      }
      const inputGrads = applyRule(t.node, g, t);
      t.node.inputs.forEach((input, j) => {
        const ig = inputGrads[j];
        if (!input.requiresGrad || !ig) return;
        const previous = grads.get(input);
        grads.set(input, previous ? previous.add(ig) : ig);
      });
    }
  });
}
