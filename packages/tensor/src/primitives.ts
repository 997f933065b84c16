import type { Backend, WindowGeometry } from './backend.js';
import { getBackend } from './backend.js';
import { isGradEnabled } from './grad-mode.js';
import {
  BINARY_OPS,
  type BinaryOp,
  type ReduceOp,
  UNARY_OPS,
  type UnaryOp,
} from './op-vocabulary.js';
import {
  broadcastSpec,
  broadcastStrides,
  formatShape,
  type Shape,
  ShapeError,
  sizeOf,
  stridesOf,
} from './shape.js';
import { retainTensor, Tensor } from './tensor.js';

/** The parameters of a primitive that has none. */
export type NoParams = Record<string, never>;

/** The elementwise primitives, one per name of `UNARY_OPS` and `BINARY_OPS`; none has parameters. */
export type ElementwiseParams = { [P in UnaryOp | BinaryOp]: NoParams };

/**
 * The primitive ops: every tensor computation is one of these or a composition of them. Each has
 * a kernel (below) and a gradient rule (`grad-rules.ts`); both tables are typed over this
 * interface, so adding a primitive without its kernel or its rule does not compile. The
 * elementwise ones come from the op vocabulary (`op-vocabulary.ts`).
 */
export interface PrimParams extends ElementwiseParams {
  /** Reductions drop the reduced axes; `keepdims` is a reshape on top. */
  sum: {
    /** The axes to reduce, sorted. */
    axes: readonly number[];
  };
  /** The maximum over `axes`. */
  max: {
    /** The axes to reduce, sorted. */
    axes: readonly number[];
  };
  /** The minimum over `axes`. */
  min: {
    /** The axes to reduce, sorted. */
    axes: readonly number[];
  };
  /** The index of the largest value along `axis`. */
  argmax: {
    /** The axis to search. */
    axis: number;
  };
  /** The index of the smallest value along `axis`. */
  argmin: {
    /** The axis to search. */
    axis: number;
  };
  /** Inputs of rank 2 or 3; a rank-2 operand is shared across the other's batch. */
  matmul: {
    /** Use the first input transposed. */
    transA: boolean;
    /** Use the second input transposed. */
    transB: boolean;
  };
  /** The same values in `shape`. */
  reshape: {
    /** The new shape (no -1: already resolved). */
    shape: readonly number[];
  };
  /** Axes reordered: output axis i is input axis `perm[i]`. */
  permute: {
    /** For each output axis, the input axis it comes from. */
    perm: readonly number[];
  };
  /** Broadcast to a larger shape (PyTorch's `expand`); no data is copied by the rule. */
  expand: {
    /** The shape to broadcast to. */
    shape: readonly number[];
  };
  /** A box [begin, begin + size) along each axis, with a positive step. */
  slice: {
    /** First index along each axis. */
    begin: readonly number[];
    /** Number of elements taken along each axis. */
    size: readonly number[];
    /** Step along each axis (positive). */
    step: readonly number[];
  };
  /** Padding with `value`: `pads[i]` = [before, after] on axis i. */
  pad: {
    /** [before, after] for every axis. */
    pads: readonly (readonly [number, number])[];
    /** The value of the added elements. */
    value: number;
  };
  /** Inputs joined along `axis`. */
  concat: {
    /** The axis to join along. */
    axis: number;
  };
  /** The book's im2col: image windows as the rows of a matrix. */
  im2col: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /** The adjoint of im2col: overlapping windows add up. */
  col2im: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /**
   * Convolution of x with w [outC, C, KH, KW] (and a bias [outC] when there is a third input),
   * then max(0, ·) with `relu`. Its gradients are the two primitives below (after ReLU's mask,
   * with `relu`), and theirs are built from the same three.
   */
  conv2d: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
    /** ReLU fused onto the output (bias included): the values of conv2d then relu. */
    relu?: boolean;
  };
  /** Inputs dy, w: conv2d's gradient for x (a transposed convolution), shape [N, C, H, W]. */
  conv2dInputGrad: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /** Inputs x, dy: conv2d's gradient for w, shape [outC, C, KH, KW]. */
  conv2dFilterGrad: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /** Max pooling over the windows of `geometry`. */
  maxPool2d: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /** Average pooling over the windows of `geometry`. */
  avgPool2d: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /**
   * Inputs dy, x: maxPool2d's gradient for x, each dy routed to the first maximum of its window
   * of x. A primitive (not a helper kernel) so that it has a gradient rule: higher derivatives.
   */
  maxPool2dBackward: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
  /** Input dy: avgPool2d's gradient, each dy spread evenly over its window. */
  avgPool2dBackward: {
    /** Where the windows go over the input image. */
    geometry: WindowGeometry;
  };
}

/** The name of a primitive op. */
export type Prim = keyof PrimParams;

/** How an output tensor was made: what backward() walks. */
export type GradNode = {
  [P in Prim]: {
    /** The primitive that made the tensor. */
    prim: P;
    /** Its inputs, whose gradients backward() computes from the output's. */
    inputs: readonly Tensor[];
    /** Its parameters. */
    params: PrimParams[P];
    /**
     * Set once what the op saved for backward() is let go (after a backward pass without
     * `retainGraph`, or when its output is freed): a second backward() through it is an error.
     */
    released?: boolean;
  };
}[Prim];

interface KernelResult {
  data: unknown;
  shape: Shape;
}
type Kernel<P extends Prim> = (
  b: Backend,
  inputs: readonly Tensor[],
  params: PrimParams[P],
) => KernelResult;

const unaryKernel =
  (op: UnaryOp): Kernel<Prim> =>
  (b, [x]) => ({ data: b.unary(op, x!.data, x!.size), shape: x!.shape });

const binaryKernel =
  (op: BinaryOp): Kernel<Prim> =>
  (b, [x, y]) => {
    const spec = broadcastSpec(op, x!.shape, y!.shape);
    return { data: b.binary(op, x!.data, y!.data, spec), shape: spec.outShape };
  };

/** One kernel per name of the vocabulary. */
function kernelsOf<Op extends UnaryOp | BinaryOp>(
  ops: readonly Op[],
  make: (op: Op) => Kernel<Prim>,
): { [P in Op]: Kernel<P> } {
  return Object.fromEntries(ops.map((op) => [op, make(op)])) as unknown as { [P in Op]: Kernel<P> };
}

const reduceKernel =
  (op: ReduceOp): Kernel<'sum' | 'max' | 'min'> =>
  (b, [x], { axes }) => ({
    data: b.reduce(op, x!.data, x!.shape, axes),
    shape: x!.shape.filter((_, i) => !axes.includes(i)),
  });

const argKernel =
  (op: 'argmax' | 'argmin'): Kernel<'argmax' | 'argmin'> =>
  (b, [x], { axis }) => ({
    data: b.reduce(op, x!.data, x!.shape, [axis]),
    shape: x!.shape.filter((_, i) => i !== axis),
  });

function gatherKernel(
  b: Backend,
  x: Tensor,
  outShape: Shape,
  strides: readonly number[],
  offset: number,
) {
  return { data: b.gather(x.data, { outShape, strides, offset }), shape: outShape };
}

const kernels: { [P in Prim]: Kernel<P> } = {
  ...kernelsOf(UNARY_OPS, unaryKernel),
  ...kernelsOf(BINARY_OPS, binaryKernel),
  sum: reduceKernel('sum'),
  max: reduceKernel('max'),
  min: reduceKernel('min'),
  argmax: argKernel('argmax'),
  argmin: argKernel('argmin'),
  matmul: (b, [x, y], { transA, transB }) => {
    const spec = matmulSpec(x!.shape, y!.shape, transA, transB);
    const shape =
      x!.shape.length === 3 || y!.shape.length === 3
        ? [spec.batch, spec.m, spec.n]
        : [spec.m, spec.n];
    return { data: b.matmul(x!.data, y!.data, spec), shape };
  },
  // Tensors are immutable, so a reshape shares the buffer.
  reshape: (_, [x], { shape }) => ({ data: x!.data, shape }),
  permute: (b, [x], { perm }) => {
    const strides = stridesOf(x!.shape);
    return gatherKernel(
      b,
      x!,
      perm.map((p) => x!.shape[p]!),
      perm.map((p) => strides[p]!),
      0,
    );
  },
  expand: (b, [x], { shape }) => gatherKernel(b, x!, shape, broadcastStrides(x!.shape, shape), 0),
  slice: (b, [x], { begin, size, step }) => {
    const strides = stridesOf(x!.shape);
    const offset = begin.reduce((total, start, i) => total + start * strides[i]!, 0);
    return gatherKernel(
      b,
      x!,
      size,
      strides.map((s, i) => s * step[i]!),
      offset,
    );
  },
  pad: (b, [x], { pads, value }) => ({
    data: b.pad(x!.data, x!.shape, pads, value),
    shape: x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]),
  }),
  concat: (b, xs, { axis }) => {
    const shape = [...xs[0]!.shape];
    shape[axis] = xs.reduce((total, x) => total + x.shape[axis]!, 0);
    return {
      data: b.concat(
        xs.map((x) => x.data),
        xs.map((x) => x.shape),
        axis,
      ),
      shape,
    };
  },
  im2col: (b, [x], { geometry: g }) => ({
    data: b.im2col(x!.data, g),
    shape: [g.n * g.outH * g.outW, g.c * g.kh * g.kw],
  }),
  col2im: (b, [cols], { geometry: g }) => ({
    data: b.col2im(cols!.data, g),
    shape: [g.n, g.c, g.h, g.w],
  }),
  conv2d: (b, [x, w, bias], { geometry: g, relu = false }) => {
    const outC = w!.shape[0]!;
    const shape = [g.n, outC, g.outH, g.outW];
    const biasData = bias ? bias.data : null;
    if (!relu || b.fusesConvRelu) {
      return { data: b.conv2d(x!.data, w!.data, biasData, g, outC, relu), shape };
    }
    // A backend without the fused kernel: its plain convolution, then ReLU (the same values).
    const plain = b.conv2d(x!.data, w!.data, biasData, g, outC);
    try {
      return { data: b.unary('relu', plain, sizeOf(shape)), shape };
    } finally {
      b.dispose(plain);
    }
  },
  conv2dInputGrad: (b, [dy, w], { geometry: g }) => ({
    data: b.conv2dInputGrad(dy!.data, w!.data, g, w!.shape[0]!),
    shape: [g.n, g.c, g.h, g.w],
  }),
  conv2dFilterGrad: (b, [x, dy], { geometry: g }) => {
    const outC = dy!.shape[1]!;
    return {
      data: b.conv2dFilterGrad(x!.data, dy!.data, g, outC),
      shape: [outC, g.c, g.kh, g.kw],
    };
  },
  maxPool2d: (b, [x], { geometry: g }) => ({
    data: b.maxPool2d(x!.data, g),
    shape: [g.n, g.c, g.outH, g.outW],
  }),
  avgPool2d: (b, [x], { geometry: g }) => ({
    data: b.avgPool2d(x!.data, g),
    shape: [g.n, g.c, g.outH, g.outW],
  }),
  maxPool2dBackward: (b, [dy, x], { geometry: g }) => ({
    data: b.maxPool2dBackward(dy!.data, x!.data, g),
    shape: [g.n, g.c, g.h, g.w],
  }),
  avgPool2dBackward: (b, [dy], { geometry: g }) => ({
    data: b.avgPool2dBackward(dy!.data, g),
    shape: [g.n, g.c, g.h, g.w],
  }),
};

/** Reads m, k, n and the batch from the operands of a (possibly transposed) matrix product. */
export function matmulSpec(aShape: Shape, bShape: Shape, transA: boolean, transB: boolean) {
  const mat = (s: Shape) => s.slice(-2) as [number, number];
  const [ar, ac] = mat(aShape);
  const [br, bc] = mat(bShape);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [k2, n] = transB ? [bc, br] : [br, bc];
  const batchA = aShape.length === 3 ? aShape[0]! : 1;
  const batchB = bShape.length === 3 ? bShape[0]! : 1;
  if (k !== k2 || (aShape.length === 3 && bShape.length === 3 && batchA !== batchB)) {
    throw new ShapeError(
      `matmul: shapes ${formatShape(aShape)}${transA ? 'ᵀ' : ''} and ${formatShape(bShape)}${transB ? 'ᵀ' : ''} do not fit (inner sizes ${k} and ${k2})`,
    );
  }
  return {
    batch: Math.max(batchA, batchB),
    m,
    k,
    n,
    transA,
    transB,
    broadcastA: aShape.length === 2,
    broadcastB: bShape.length === 2,
  };
}

/**
 * Runs a primitive and, when gradients are being recorded and an input needs one, remembers how
 * the output was made. This is the only place tensors are computed.
 *
 * Where it runs: on the active backend, unless every input is on one other backend and one of
 * them was computed by an op (a forward or backward pass in progress there finishes there).
 * Inputs elsewhere are brought to it as TF.js does: a leaf (parameter, optimizer slot, data) is
 * moved in place, keeping its identity, so a network built before a backend switch trains after
 * it; a computed tensor cannot be (see `bringTo`).
 */
export function run<P extends Prim>(
  prim: P,
  inputs: readonly Tensor[],
  params: PrimParams[P],
): Tensor {
  const { backend, args, disposeCopies } = placeInputs(prim, inputs);
  let out: Tensor;
  try {
    const { data, shape } = kernels[prim](backend, args, params);
    out = new Tensor(data, shape, backend);
  } catch (error) {
    disposeCopies();
    throw error;
  }
  if (isGradEnabled() && args.some((t) => t.requiresGrad)) {
    // The op saves its inputs for backward(): each holds its values until the pass lets go.
    for (const t of args) retainTensor(t);
    out.node = { prim, inputs: args, params } as GradNode;
    out.requiresGrad = true;
  }
  disposeCopies();
  return out;
}

/**
 * The backend an op on `inputs` runs on (see `run`), with the inputs brought there; refuses a
 * disposed input. `disposeCopies` frees the copies it made (for computed inputs from elsewhere).
 * Fused ops, which call a backend's method themselves, place their inputs with it too.
 */
export function placeInputs(
  op: string,
  inputs: readonly Tensor[],
): { backend: Backend; args: Tensor[]; disposeCopies: () => void } {
  inputs.forEach((t, i) => {
    if (t.refs <= 0) {
      throw new Error(
        `${op}: input ${i} (shape ${formatShape(t.shape)}) was disposed, and nothing kept its values: dispose a tensor only after its last use, or keep() it out of the scope that disposed it`,
      );
    }
  });
  const backend = backendFor(inputs);
  const args = inputs.map((t, i) => bringTo(t, backend, op, i));
  // Copies made to bring a computed input to this backend are this call's own.
  const disposeCopies = () =>
    args.forEach((t, i) => {
      if (t !== inputs[i]) t.dispose();
    });
  return { backend, args, disposeCopies };
}

function backendFor(inputs: readonly Tensor[]): Backend {
  const active = getBackend();
  const first = inputs[0]?.backend;
  if (first === undefined || first === active) return active;
  const stay = inputs.every((t) => t.backend === first) && inputs.some((t) => !t.isLeaf);
  return stay ? first : active;
}

/** Input `index` of `prim` on `backend`: itself (moved if it is a leaf), or a copy without grad. */
function bringTo(t: Tensor, backend: Backend, prim: string, index: number): Tensor {
  if (t.backend === backend) return t;
  if (t.isLeaf) {
    moveLeaf(t, backend);
    return t;
  }
  // Nothing is recorded (noGrad, or a backward pass): a copy computes the same values.
  if (!isGradEnabled() || !t.requiresGrad) return t.toBackend(backend);
  // A copy would start a new graph: backward() would never reach the leaves behind `t`.
  throw new Error(
    `${prim}: input ${index} (shape ${formatShape(t.shape)}) is on the "${t.backend.name}" backend but the op runs on "${backend.name}", and it was computed by an op that records gradients, so it cannot be moved without cutting it from the graph. Build the network and run its forward pass after the "${backend.name}" backend is initialised (parameters and data made before it move by themselves), or finish this computation where it started (setBackend("${t.backend.name}")).`,
  );
}

/**
 * Moves a leaf's values to `backend` in place: the same object (so a module's and an optimizer's
 * references stay valid) with its `requiresGrad`, and its gradient moved along.
 */
function moveLeaf(t: Tensor, backend: Backend): void {
  t.replaceStorage(backend.upload(t.dataSync()), backend);
  const grad = t.grad;
  if (grad !== null && grad.backend !== backend) {
    grad.replaceStorage(backend.upload(grad.dataSync()), backend);
  }
}

/**
 * A new tensor on `x`'s buffer, in the graph as `x` is: what an op returns instead of its input
 * when it has nothing to do, so that the caller owns (and may dispose) what every op returns.
 */
export function alias(x: Tensor): Tensor {
  return run('reshape', [x], { shape: x.shape });
}

/** Wraps a buffer a backend produced outside the primitives (gradient helper kernels). */
export function wrap(backend: Backend, data: unknown, shape: Shape): Tensor {
  return new Tensor(data, shape, backend);
}
