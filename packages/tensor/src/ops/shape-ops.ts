import { scope } from '../memory.js';
import { alias, run } from '../primitives.js';
import {
  broadcastShapes,
  formatShape,
  normalizeAxis,
  resolveReshape,
  ShapeError,
  shapesEqual,
} from '../shape.js';
import type { Tensor } from '../tensor.js';

/**
 * The same values in a new shape; one size may be -1.
 * @example reshape(arange(6), [2, -1]).shape // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveReshape('reshape', x.shape, shape);
  return run('reshape', [x], { shape: target });
}

/** Merges axes startAxis..endAxis into one, as `torch.flatten`. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis('flatten', startAxis, x.rank);
  const end = normalizeAxis('flatten', endAxis, x.rank);
  if (start > end)
    throw new ShapeError(`flatten: startAxis ${startAxis} comes after endAxis ${endAxis}`);
  const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/** Reorders axes: output axis i is input axis perm[i]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const axes = perm.map((p) => normalizeAxis('permute', p, x.rank));
  if (axes.length !== x.rank || new Set(axes).size !== x.rank) {
    throw new ShapeError(
      `permute: [${perm.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}`,
    );
  }
  return axes.every((p, i) => p === i) ? alias(x) : run('permute', [x], { perm: axes });
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const perm = x.shape.map((_, i) => i);
  const a = normalizeAxis('transpose', axis0, x.rank);
  const b = normalizeAxis('transpose', axis1, x.rank);
  [perm[a], perm[b]] = [perm[b]!, perm[a]!];
  return permute(x, perm);
}

/** Broadcasts to a larger shape without copying in the gradient (PyTorch's `expand`). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const target = broadcastShapes('expand', x.shape, shape);
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(
      `expand: ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`,
    );
  }
  return shapesEqual(x.shape, shape) ? alias(x) : run('expand', [x], { shape });
}

/** Removes `axis` if its size is 1 (every size-1 axis when omitted), as `torch.squeeze`. */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.rank);
  return x.shape[a] === 1
    ? reshape(
        x,
        x.shape.filter((_, i) => i !== a),
      )
    : alias(x);
}

/** Inserts an axis of size 1 at `axis`, as `torch.unsqueeze`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/**
 * The box that starts at `begin` with `size` elements along each axis (to the end where size is
 * omitted or -1), taking every `step`-th element. Negative begins count from the end.
 * @example slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]).toArray() // [[2, 3], [5, 6]]
 */
export function slice(
  x: Tensor,
  begin: readonly number[],
  size?: readonly number[],
  step?: readonly number[],
): Tensor {
  if (begin.length > x.rank) {
    throw new ShapeError(`slice: ${begin.length} begin values for a tensor of rank ${x.rank}`);
  }
  const starts = x.shape.map((d, i) => {
    const b = begin[i] ?? 0;
    const s = b < 0 ? b + d : b;
    if (!Number.isInteger(s) || s < 0 || s > d) {
      throw new ShapeError(`slice: begin ${b} is out of range for axis ${i} of size ${d}`);
    }
    return s;
  });
  const steps = x.shape.map((_, i) => {
    const s = step?.[i] ?? 1;
    if (!Number.isInteger(s) || s < 1)
      throw new ShapeError(`slice: step ${s} on axis ${i} must be a whole number ≥ 1`);
    return s;
  });
  const sizes = x.shape.map((d, i) => {
    const available = Math.ceil((d - starts[i]!) / steps[i]!);
    const n = size?.[i] ?? -1;
    if (n === -1) return available;
    if (!Number.isInteger(n) || n < 0 || n > available) {
      throw new ShapeError(
        `slice: size ${n} on axis ${i} is out of range (axis size ${d}, begin ${starts[i]}, step ${steps[i]})`,
      );
    }
    return n;
  });
  if (shapesEqual(sizes, x.shape)) return alias(x);
  return run('slice', [x], { begin: starts, size: sizes, step: steps });
}

/** `length` elements of `axis` from `start`, as `torch.narrow`. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis('narrow', axis, x.rank);
  const begin = x.shape.map((_, i) => (i === a ? start : 0));
  const size = x.shape.map((d, i) => (i === a ? length : d));
  return slice(x, begin, size);
}

/** Pads with `value`; `pads[i]` = [before, after] for axis i (missing axes are not padded). */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  if (pads.length > x.rank)
    throw new ShapeError(`pad: ${pads.length} pad pairs for a tensor of rank ${x.rank}`);
  const full = x.shape.map((_, i) => pads[i] ?? ([0, 0] as const));
  for (const [before, after] of full) {
    if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
      throw new ShapeError(`pad: pad widths must be whole numbers ≥ 0, got [${before}, ${after}]`);
    }
  }
  return full.every(([b, a]) => b === 0 && a === 0)
    ? alias(x)
    : run('pad', [x], { pads: full, value });
}

/** Joins tensors along an existing axis; all other sizes must agree. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new ShapeError('concat: no tensors given');
  const a = normalizeAxis('concat', axis, first.rank);
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes ${formatShape(first.shape)} and ${formatShape(x.shape)} differ outside axis ${a}`,
      );
    }
  }
  return xs.length === 1 ? alias(first) : run('concat', xs, { axis: a });
}

/** Joins tensors of one shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('stack: no tensors given');
  return scope(() =>
    concat(
      xs.map((x) => unsqueeze(x, axis)),
      axis,
    ),
  );
}

/** The gradient of concat: the slices of `g` that each input contributed. */
export function concatGradient(g: Tensor, inputs: readonly Tensor[], axis: number): Tensor[] {
  let offset = 0;
  return inputs.map((x) => {
    const part = narrow(g, axis, offset, x.shape[axis]!);
    offset += x.shape[axis]!;
    return part;
  });
}
