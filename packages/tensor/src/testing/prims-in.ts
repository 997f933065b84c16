import type { Prim } from '../primitives.js';
import type { Tensor } from '../tensor.js';

/** The primitives that computing `out` went through (for tests that check their coverage). */
export function primsIn(out: Tensor): Set<Prim> {
  const found = new Set<Prim>();
  const stack = [out];
  const seen = new Set<Tensor>();
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t) || !t.node) continue;
    seen.add(t);
    found.add(t.node.prim);
    stack.push(...t.node.inputs);
  }
  return found;
}
