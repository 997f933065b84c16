import type { BroadcastSpec } from '../backend.js';
import type { BinaryOp, UnaryOp } from '../op-vocabulary.js';
import { sizeOf, stridesOf } from '../shape.js';

const sameSteps = (a: readonly number[], b: readonly number[]) => a.every((s, i) => s === b[i]);

const unaryFns: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  relu: (x) => Math.max(x, 0),
  // Split by sign so exp never overflows: the book's 1/(1+exp(−x)) gives NaN-free results too,
  // but loses precision for large negative x.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  square: (x) => x * x,
};

export function unary(op: UnaryOp, x: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size);
  switch (op) {
    // The hot ones get their own loops; a call per element is several times slower.
    case 'relu':
      for (let i = 0; i < size; i++) {
        const v = x[i]!;
        out[i] = Math.max(v, 0); // NaN stays NaN, as in PyTorch
      }
      return out;
    case 'neg':
      for (let i = 0; i < size; i++) out[i] = -x[i]!;
      return out;
    default: {
      const fn = unaryFns[op];
      for (let i = 0; i < size; i++) out[i] = fn(x[i]!);
      return out;
    }
  }
}

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  reluGrad: (a, b) => (b > 0 ? a : 0),
};

export function binary(
  op: BinaryOp,
  a: Float32Array,
  b: Float32Array,
  { outShape, aStrides: sa, bStrides: sb }: BroadcastSpec,
): Float32Array {
  const size = sizeOf(outShape);
  const out = new Float32Array(size);
  if (size === 0) return out;
  const fn = binaryFns[op];
  const contiguous = stridesOf(outShape);
  const aWhole = sameSteps(sa, contiguous);
  const bWhole = sameSteps(sb, contiguous);
  if (aWhole && bWhole) {
    if (op === 'add') for (let i = 0; i < size; i++) out[i] = a[i]! + b[i]!;
    else if (op === 'mul') for (let i = 0; i < size; i++) out[i] = a[i]! * b[i]!;
    else if (op === 'sub') for (let i = 0; i < size; i++) out[i] = a[i]! - b[i]!;
    else for (let i = 0; i < size; i++) out[i] = fn(a[i]!, b[i]!);
    return out;
  }
  if (aWhole && sb.every((s) => s === 0)) {
    const s = b[0]!;
    if (op === 'mul') for (let i = 0; i < size; i++) out[i] = a[i]! * s;
    else for (let i = 0; i < size; i++) out[i] = fn(a[i]!, s);
    return out;
  }
  if (bWhole && sa.every((s) => s === 0)) {
    const s = a[0]!;
    for (let i = 0; i < size; i++) out[i] = fn(s, b[i]!);
    return out;
  }
  // General broadcast: walk the output in order, the innermost axis in a tight loop.
  const rank = outShape.length;
  const inner = outShape[rank - 1]!;
  const ia = sa[rank - 1]!;
  const ib = sb[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < size; o += inner) {
    if (op === 'add')
      for (let j = 0; j < inner; j++) out[o + j] = a[offA + j * ia]! + b[offB + j * ib]!;
    else if (op === 'mul')
      for (let j = 0; j < inner; j++) out[o + j] = a[offA + j * ia]! * b[offB + j * ib]!;
    else for (let j = 0; j < inner; j++) out[o + j] = fn(a[offA + j * ia]!, b[offB + j * ib]!);
    // Advance the multi-index over the outer axes (an odometer).
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      offA += sa[d]!;
      offB += sb[d]!;
      if (index[d]! < outShape[d]!) break;
      offA -= sa[d]! * outShape[d]!;
      offB -= sb[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
