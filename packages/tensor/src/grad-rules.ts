import type { WindowGeometry } from './backend.js';
import * as E from './ops/elementwise.js';
import { matmul2 } from './ops/linalg.js';
import { expandTo, sumTo } from './ops/reduce.js';
import { concatGradient, pad, reshape, slice } from './ops/shape-ops.js';
import { type Prim, type PrimParams, run, wrap } from './primitives.js';
import type { Tensor } from './tensor.js';

/** What a gradient rule gets besides the output gradient: the forward pass of primitive `P`. */
export interface GradContext<P extends Prim> {
  /** The primitive's inputs, in order. */
  inputs: readonly Tensor[];
  /** The primitive's result. */
  output: Tensor;
  /** The primitive's parameters (axes, shapes, window geometry, …). */
  params: PrimParams[P];
  /** Which inputs need a gradient: a rule may skip the others (and return null for them). */
  needsGrad: readonly boolean[];
}

/** Given the gradient of the output, the gradients of the inputs (null where not needed). */
export type Rule<P extends Prim> = (g: Tensor, ctx: GradContext<P>) => readonly (Tensor | null)[];

/** Comparisons and arg-reductions are piecewise constant: no gradient flows through them. */
const noGradient: Rule<Prim> = (_g, { inputs }) => inputs.map(() => null);

/** The gradient of a max/min reduction, shared evenly between tied extremes (as PyTorch's amax). */
const extremumRule: Rule<'max' | 'min'> = (g, { inputs: [x], output, params: { axes } }) => {
  const kept = reshape(output, keptShape(x!.shape, axes));
  const hits = E.eq(x!, kept);
  const count = sumTo(hits, kept.shape);
  return [E.mul(hits, expandTo(E.div(reshape(g, kept.shape), count), x!.shape))];
};

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * The gradient rules of every primitive, in one table. Its type, `{[P in Prim]: Rule<P>}`, makes
 * a primitive without a rule a compile error. Rules are written with ops, so they run on
 * whatever backend the tensors live on.
 */
export const gradRules: { [P in Prim]: Rule<P> } = {
  neg: (g) => [E.neg(g)],
  exp: (g, { output }) => [E.mul(g, output)],
  log: (g, { inputs: [x] }) => [E.div(g, x!)],
  sqrt: (g, { output }) => [E.div(g, E.mul(output, 2))],
  abs: (g, { inputs: [x] }) => [E.mul(g, E.sub(E.gt(x!, 0), E.lt(x!, 0)))],
  relu: (g, { inputs: [x] }) => [E.reluGrad(g, x!)],
  sigmoid: (g, { output: y }) => [E.mul(g, E.mul(y, E.sub(1, y)))],
  tanh: (g, { output: y }) => [E.mul(g, E.sub(1, E.mul(y, y)))],
  square: (g, { inputs: [x] }) => [E.mul(g, E.mul(x!, 2))],

  add: (g, { inputs: [a, b], needsGrad: [da, db] }) => [
    da ? sumTo(g, a!.shape) : null,
    db ? sumTo(g, b!.shape) : null,
  ],
  sub: (g, { inputs: [a, b], needsGrad: [da, db] }) => [
    da ? sumTo(g, a!.shape) : null,
    db ? sumTo(E.neg(g), b!.shape) : null,
  ],
  mul: (g, { inputs: [a, b], needsGrad: [da, db] }) => [
    da ? sumTo(E.mul(g, b!), a!.shape) : null,
    db ? sumTo(E.mul(g, a!), b!.shape) : null,
  ],
  div: (g, { inputs: [a, b], output, needsGrad: [da, db] }) => [
    da ? sumTo(E.div(g, b!), a!.shape) : null,
    db ? sumTo(E.neg(E.div(E.mul(g, output), b!)), b!.shape) : null,
  ],
  // As PyTorch, the 0·∞ cases are 0: d/da at b = 0 (b·a^(b−1) with a = 0), and d/db at a = 0,
  // b ≥ 0 (a^b·log a), where log a is replaced by log 1.
  pow: (g, { inputs: [a, b], output, needsGrad: [da, db] }) => [
    da ? sumTo(E.mul(g, E.mul(b!, E.pow(a!, E.sub(b!, E.ne(b!, 0))))), a!.shape) : null,
    db
      ? sumTo(E.mul(g, E.mul(output, E.log(E.add(a!, E.mul(E.eq(a!, 0), E.ge(b!, 0)))))), b!.shape)
      : null,
  ],
  // Ties share the gradient equally, as in PyTorch.
  maximum: (g, { inputs: [a, b], needsGrad: [da, db] }) => {
    const share = E.add(E.gt(a!, b!), E.mul(E.eq(a!, b!), 0.5));
    return [
      da ? sumTo(E.mul(g, share), a!.shape) : null,
      db ? sumTo(E.mul(g, E.sub(1, share)), b!.shape) : null,
    ];
  },
  minimum: (g, { inputs: [a, b], needsGrad: [da, db] }) => {
    const share = E.add(E.lt(a!, b!), E.mul(E.eq(a!, b!), 0.5));
    return [
      da ? sumTo(E.mul(g, share), a!.shape) : null,
      db ? sumTo(E.mul(g, E.sub(1, share)), b!.shape) : null,
    ];
  },
  eq: noGradient,
  ne: noGradient,
  lt: noGradient,
  le: noGradient,
  gt: noGradient,
  ge: noGradient,
  // Linear in dy; piecewise constant in x (no gradient flows into the mask, as for relu at 0).
  reluGrad: (g, { inputs: [dy, x], needsGrad: [ddy] }) => [
    ddy ? sumTo(E.reluGrad(g, x!), dy!.shape) : null,
    null,
  ],

  sum: (g, { inputs: [x], params: { axes } }) => [
    expandTo(reshape(g, keptShape(x!.shape, axes)), x!.shape),
  ],
  max: extremumRule,
  min: extremumRule,
  argmax: noGradient,
  argmin: noGradient,

  // C = op(A)·op(B): dA = g·op(B)ᵀ and dB = op(A)ᵀ·g, arranged so no transpose is materialised.
  matmul: (g, { inputs: [a, b], params: { transA, transB }, needsGrad: [da, db] }) => {
    const gradA = !da
      ? null
      : transA
        ? matmul2(b!, g, transB, true)
        : matmul2(g, b!, false, !transB);
    const gradB = !db
      ? null
      : transB
        ? matmul2(g, a!, true, transA)
        : matmul2(a!, g, !transA, false);
    // A rank-2 operand was shared across the batch: its gradient sums over the batch.
    return [gradA && sumTo(gradA, a!.shape), gradB && sumTo(gradB, b!.shape)];
  },
  reshape: (g, { inputs: [x] }) => [reshape(g, x!.shape)],
  permute: (g, { params: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [run('permute', [g], { perm: inverse })];
  },
  expand: (g, { inputs: [x] }) => [sumTo(g, x!.shape)],
  slice: (g, { inputs: [x], params: { begin, size, step } }) => [
    sliceGradient(g, x!.shape, begin, size, step),
  ],
  pad: (g, { inputs: [x], params: { pads } }) => [
    slice(
      g,
      pads.map((p) => p[0]),
      x!.shape,
    ),
  ],
  concat: (g, { inputs, params: { axis } }) => concatGradient(g, inputs, axis),
  // im2col and col2im are each other's adjoints.
  im2col: (g, { params: { geometry } }) => [run('col2im', [g], { geometry })],
  col2im: (g, { params: { geometry } }) => [run('im2col', [g], { geometry })],
  // conv2d is bilinear in (x, w): each gradient is one of the three convolution primitives, the
  // gradients of the two gradient primitives included (which makes higher derivatives work).
  // With a fused ReLU, g first goes through ReLU's mask, taken from the output (> 0 exactly where
  // the pre-activation is): what the unfused relu rule gives.
  conv2d: (g, { inputs: [x, w, bias], output, params: { geometry, relu }, needsGrad }) => {
    const [dx, dw, db] = needsGrad;
    const dy = relu ? E.reluGrad(g, output) : g;
    return [
      dx ? run('conv2dInputGrad', [dy, w!], { geometry }) : null,
      dw ? run('conv2dFilterGrad', [x!, dy], { geometry }) : null,
      bias && db ? reshape(sumTo(dy, [bias.shape[0]!, 1, 1]), bias.shape) : null,
    ];
  },
  conv2dInputGrad: (g, { inputs: [dy, w], params: { geometry }, needsGrad: [ddy, dw] }) => [
    ddy ? run('conv2d', [g, w!], { geometry }) : null,
    dw ? run('conv2dFilterGrad', [g, dy!], { geometry }) : null,
  ],
  conv2dFilterGrad: (g, { inputs: [x, dy], params: { geometry }, needsGrad: [dx, ddy] }) => [
    dx ? run('conv2dInputGrad', [dy!, g], { geometry }) : null,
    ddy ? run('conv2d', [x!, g], { geometry }) : null,
  ],
  maxPool2d: (g, { inputs: [x], params: { geometry } }) => [
    run('maxPool2dBackward', [g, x!], { geometry }),
  ],
  avgPool2d: (g, { params: { geometry } }) => [run('avgPool2dBackward', [g], { geometry })],
  // Linear in dy, whose adjoint is max pooling's own selection (applied to g); piecewise constant
  // in x (which element is the maximum does not change under a small change of x), so no
  // gradient flows into x: maxPool2d's second derivative in x is zero almost everywhere.
  maxPool2dBackward: (g, { inputs: [, x], params: { geometry }, needsGrad: [ddy] }) => [
    ddy ? atWindowMaxima(g, x!, geometry) : null,
    null,
  ],
  // Linear in dy (padding counts in the divisor, so the divisor is constant): its adjoint is
  // average pooling.
  avgPool2dBackward: (g, { params: { geometry } }) => [run('avgPool2d', [g], { geometry })],
};

/**
 * For each pooling window, the value of `g` where `x` has its first maximum in that window
 * (padding counting as −∞): what max pooling selects, applied to another tensor of x's shape,
 * giving [N, C, OH, OW]. Written with primitives, so that it is differentiable in `g` in turn;
 * the first maximum in row-major window order is the one `Backend.maxPool2dBackward` routes to.
 */
function atWindowMaxima(g: Tensor, x: Tensor, geometry: WindowGeometry): Tensor {
  const { n, c, h, w, kh, kw, padH, padW, outH, outW } = geometry;
  const rows = n * outH * outW;
  const area = kh * kw;
  // im2col rows are (n, oy, ox), columns (c, ky, kx); x is padded with −∞ first, as max pooling
  // pads, since im2col's own padding is zeros.
  const padded = pad(
    x.detach(),
    [
      [0, 0],
      [0, 0],
      [padH, padH],
      [padW, padW],
    ],
    Number.NEGATIVE_INFINITY,
  );
  const unpadded = { ...geometry, h: h + 2 * padH, w: w + 2 * padW, padH: 0, padW: 0 };
  const windows = reshape(run('im2col', [padded], { geometry: unpadded }), [rows, c, area]);
  const first = reshape(run('argmax', [windows], { axis: 2 }), [rows, c, 1]);
  const positions = wrap(
    x.backend,
    x.backend.upload(Float32Array.from({ length: area }, (_, i) => i)),
    [area],
  );
  const hit = E.eq(first, positions); // one-hot [rows, c, area]: each window's first maximum
  const values = reshape(run('im2col', [g], { geometry }), [rows, c, area]);
  const picked = run('sum', [E.mul(hit, values)], { axes: [2] }); // [rows, c]
  return run('permute', [reshape(picked, [n, outH, outW, c])], { perm: [0, 3, 1, 2] });
}

/**
 * Scatters a slice's gradient back into zeros of the input's shape. A stepped axis is handled by
 * interleaving: append (step − 1) zeros after each element, then trim and pad into place.
 */
function sliceGradient(
  g: Tensor,
  inputShape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
): Tensor {
  let out = g;
  step.forEach((s, axis) => {
    if (s === 1 || size[axis] === 0) return;
    const shape = out.shape;
    const withSlot = reshape(out, [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)]);
    const pads = withSlot.shape.map((_, i) => [0, i === axis + 1 ? s - 1 : 0] as const);
    const spread = reshape(pad(withSlot, pads), [
      ...shape.slice(0, axis),
      shape[axis]! * s,
      ...shape.slice(axis + 1),
    ]);
    const keep = (size[axis]! - 1) * s + 1;
    out = slice(
      spread,
      spread.shape.map(() => 0),
      spread.shape.map((d, i) => (i === axis ? keep : d)),
    );
  });
  return pad(
    out,
    inputShape.map((d, i) => [begin[i]!, d - begin[i]! - out.shape[i]!] as const),
  );
}
