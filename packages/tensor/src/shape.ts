import type { BroadcastSpec } from './backend.js';

/** A tensor's dimensions, outermost first (NCHW for images). */
export type Shape = readonly number[];

/** Thrown for every user error about shapes, axes and op arguments; the message names the op. */
export class ShapeError extends Error {
  /** The error name, also after minification. */
  override name = 'ShapeError';
}

/** A shape as it appears in error messages: `[2, 3]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The number of elements of a shape: the product of its sizes (1 for `[]`). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides: the step in the flat buffer for one step along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes have the same sizes. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting: align on the right; each pair of sizes is equal or one of them is 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast (axis ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read `shape` as if it had been broadcast to `outShape`: broadcast axes get
 * stride 0, so one element is read again and again instead of being copied.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j]!;
  });
}

/** Turns negative axes into positive ones and checks range; `undefined` means every axis. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((axis) => normalizeAxis(op, axis, rank));
  if (new Set(out).size !== out.length) {
    throw new ShapeError(`${op}: repeated axis in [${list.join(', ')}]`);
  }
  return out.sort((x, y) => x - y);
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  // A 0-d tensor accepts axis 0 or -1 (as PyTorch), both meaning its one implicit axis.
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** The shape left after reducing `axes`, either dropped or kept as size 1. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** Resolves one `-1` in a reshape target, and checks that the sizes agree. */
export function resolveReshape(op: string, from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  const unknown = to.indexOf(-1);
  if (unknown !== to.lastIndexOf(-1)) throw new ShapeError(`${op}: only one dimension may be -1`);
  const out = [...to];
  if (unknown >= 0) {
    const known = sizeOf(to.filter((_, i) => i !== unknown));
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${formatShape(from)} into ${formatShape(to)}`);
    }
    out[unknown] = size / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== size) {
    throw new ShapeError(
      `${op}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(to)}`,
    );
  }
  return out;
}

export function assertValidShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape ${formatShape(shape)}: sizes must be whole numbers ≥ 0`,
      );
    }
  }
}

/**
 * A two-input elementwise op resolved once for every backend: the broadcast output shape and each
 * input's strides over it (see `BroadcastSpec`).
 */
export function broadcastSpec(op: string, aShape: Shape, bShape: Shape): BroadcastSpec {
  const outShape = broadcastShapes(op, aShape, bShape);
  return {
    outShape,
    aStrides: broadcastStrides(aShape, outShape),
    bStrides: broadcastStrides(bShape, outShape),
  };
}
