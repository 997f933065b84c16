import { cpuBackend } from './cpu/cpu-backend.js';
import type { BinaryOp, ReduceOp, UnaryOp } from './op-vocabulary.js';
import type { Shape } from './shape.js';

export type { BinaryOp, ReduceOp, UnaryOp } from './op-vocabulary.js';

/**
 * A two-input elementwise op as the core resolves it before a backend sees it: the output's
 * shape (NumPy broadcasting already applied) and, for each input, its step per output axis, 0
 * where it is broadcast. A backend never computes broadcasting itself.
 */
export interface BroadcastSpec {
  /** Shape of the result. */
  outShape: Shape;
  /** Step in a's buffer for one step along each output axis (0: a is repeated along it). */
  aStrides: readonly number[];
  /** Step in b's buffer for one step along each output axis (0: b is repeated along it). */
  bStrides: readonly number[];
}

/** A batched matrix product C[b] = op(A[b]) · op(B[b]), with op = transpose when asked. */
export interface MatmulSpec {
  /** How many products: the size of the leading batch axis (1 for a plain matrix product). */
  batch: number;
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(A), rows of op(B). */
  k: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** Read A transposed: op(A) = Aᵀ, without copying it. */
  transA: boolean;
  /** Read B transposed: op(B) = Bᵀ, without copying it. */
  transB: boolean;
  /** A (or B) is shared by the whole batch rather than stored once per batch entry. */
  broadcastA?: boolean;
  /** B is shared by the whole batch (see `broadcastA`). */
  broadcastB?: boolean;
}

/**
 * Where a sliding window (convolution filter or pooling window) goes over an NCHW image.
 * The output size is floor((h + 2·padH − kh) / strideH) + 1, as in the book and PyTorch.
 */
export interface WindowGeometry {
  /** Batch size N. */
  n: number;
  /** Channels C. */
  c: number;
  /** Input height H. */
  h: number;
  /** Input width W. */
  w: number;
  /** Window (filter) height. */
  kh: number;
  /** Window (filter) width. */
  kw: number;
  /** Vertical step between windows. */
  strideH: number;
  /** Horizontal step between windows. */
  strideW: number;
  /** Rows of padding above and below. */
  padH: number;
  /** Columns of padding left and right. */
  padW: number;
  /** Output height: floor((h + 2·padH − kh) / strideH) + 1. */
  outH: number;
  /** Output width: floor((w + 2·padW − kw) / strideW) + 1. */
  outW: number;
}

/** A strided read of a buffer: covers permute, broadcast (stride 0) and stepped slices. */
export interface GatherSpec {
  /** Shape of the result. */
  outShape: Shape;
  /** Step in the source buffer for each output axis (0 repeats a value: broadcasting). */
  strides: readonly number[];
  /** Index in the source buffer of the first output element. */
  offset: number;
}

/**
 * One Adam step over a parameter, for `Backend.adamStep`. The numbers are used as float32, in
 * the order of the composed ops: m' = m·beta1 + g·(1 − beta1); v' = v·beta2 + (g·g)·(1 − beta2);
 * param' = param − (m'/correction1)·lr / (sqrt(v'/correction2) + eps).
 */
export interface AdamSpec {
  /** Decay rate of the first moment m (the book's `beta1`, 0.9). */
  beta1: number;
  /** Decay rate of the second moment v (the book's `beta2`, 0.999). */
  beta2: number;
  /** Learning rate. */
  lr: number;
  /** Added to the denominator so that it is never zero. */
  eps: number;
  /** 1 − beta1^t */
  correction1: number;
  /** 1 − beta2^t */
  correction2: number;
}

/**
 * What a compute backend provides. Storage is opaque (`D`): the reference backend keeps
 * Float32Arrays, a WebAssembly backend can keep offsets into its memory. Every op and gradient
 * rule of the library runs through these methods, so a new backend plugs in without touching
 * them; run the shared suite in `backend-suite.ts` against it.
 */
export interface Backend<D = unknown> {
  /** The name it is registered under, for `setBackend` (`"cpu"`, `"wasm"`). */
  readonly name: string;
  /**
   * Whether `conv2d` applies a fused ReLU itself (its `relu` argument). A backend that leaves
   * this out gets the plain convolution asked of it, and the core applies `unary('relu', …)`: a
   * new backend can start without the fused kernel.
   */
  readonly fusesConvRelu?: boolean;
  /** Copies values into storage owned by the backend. */
  upload(values: Float32Array): D;
  /**
   * Frees storage that no tensor uses any more (the core counts the tensors sharing it and calls
   * this once, when the last lets go). The storage is never used again.
   */
  dispose(data: D): void;
  /** Copies values out; the caller owns the result. */
  read(data: D, size: number): Float32Array;
  /**
   * Copies values out, resolving when they are available: the one read a backend whose memory
   * the CPU cannot map at once (WebGPU) can offer. The result holds the values `data` had when
   * this was called, even if the storage is freed and reused before the promise settles; the
   * caller owns it. A synchronous backend can copy at once and resolve with the copy.
   */
  readAsync(data: D, size: number): Promise<Float32Array>;
  /** New storage of `size` elements, all `value`. */
  fill(size: number, value: number): D;
  /** Applies a one-input elementwise op to `size` elements. */
  unary(op: UnaryOp, x: D, size: number): D;
  /** Applies a two-input elementwise op over the output and input strides of `spec`. */
  binary(op: BinaryOp, a: D, b: D, spec: BroadcastSpec): D;
  /** Reduces `axes` (sorted, non-empty); the result has those axes removed. */
  reduce(op: ReduceOp, x: D, shape: Shape, axes: readonly number[]): D;
  /** The (batched, optionally transposed) matrix product described by `spec`. */
  matmul(a: D, b: D, spec: MatmulSpec): D;
  /** A strided copy of `x`: how permute, broadcast and slices are made. */
  gather(x: D, spec: GatherSpec): D;
  /** Places `x` inside a larger tensor filled with `value`; `pads[i]` = [before, after] on axis i. */
  pad(x: D, shape: Shape, pads: readonly (readonly [number, number])[], value: number): D;
  /** Joins tensors of the given shapes along `axis`. */
  concat(xs: readonly D[], shapes: readonly Shape[], axis: number): D;
  /** The book's im2col: (N, C, H, W) → (N·OH·OW, C·KH·KW). */
  im2col(x: D, g: WindowGeometry): D;
  /** The adjoint of im2col: overlapping windows add up. */
  col2im(cols: D, g: WindowGeometry): D;
  /**
   * Convolution (cross-correlation) of x [N, C, H, W] with w [outC, C, KH, KW] plus an optional
   * bias [outC], giving [N, outC, OH, OW]: the book's Convolution.forward (chapter 7.4.3). With
   * `relu`, each output is max(0, ·) of that, bias included: a fused Conv → ReLU, whose values
   * must be exactly those of `unary('relu', …)` applied to the result without it (a backend
   * applies it where it adds the bias, saving a pass over the output). Only asked of a backend
   * that sets `fusesConvRelu`; for any other the core runs `unary('relu', …)` after it.
   */
  conv2d(x: D, w: D, bias: D | null, g: WindowGeometry, outChannels: number, relu?: boolean): D;
  /** conv2d's gradient for its input: dy [N, outC, OH, OW] and w → dx [N, C, H, W]. */
  conv2dInputGrad(dy: D, w: D, g: WindowGeometry, outChannels: number): D;
  /** conv2d's gradient for its weight: x and dy → dw [outC, C, KH, KW], summed over the batch. */
  conv2dFilterGrad(x: D, dy: D, g: WindowGeometry, outChannels: number): D;
  /** Max pooling; padding counts as −∞. */
  maxPool2d(x: D, g: WindowGeometry): D;
  /** Routes each output gradient to the first maximal element of its window. */
  maxPool2dBackward(dy: D, x: D, g: WindowGeometry): D;
  /** Average pooling; padding counts as zeros and is included in the divisor (PyTorch's default). */
  avgPool2d(x: D, g: WindowGeometry): D;
  /** Average pooling's gradient: each output gradient spread evenly over its window. */
  avgPool2dBackward(dy: D, g: WindowGeometry): D;
  /**
   * Optional: a fused Adam step (see `AdamSpec`) over `size` elements, giving the new parameter
   * and moments. It must give the same float32 results as the composed ops, which are used where
   * a backend does not provide it.
   */
  adamStep?(param: D, grad: D, m: D, v: D, size: number, spec: AdamSpec): [D, D, D];
}

// The reference backend is always there, so that importing the package has no side effects.
const registry = new Map<string, Backend>([['cpu', cpuBackend as Backend]]);
let active: Backend = cpuBackend as Backend;

/** Makes a backend available under its name; `setBackend(name)` then makes it the active one. */
export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
}

/** Chooses the backend that new tensors and ops use. */
export function setBackend(name: string): void {
  const backend = registry.get(name);
  if (!backend) {
    throw new Error(
      `setBackend: no backend named "${name}" (registered: ${[...registry.keys()].join(', ')})`,
    );
  }
  active = backend;
}

/** The active backend: the one new tensors and ops use (`cpu` until `setBackend` picks another). */
export function getBackend(): Backend {
  return active;
}

/** The names of the registered backends, for `setBackend`. */
export function listBackends(): string[] {
  return [...registry.keys()];
}
