import { autogradBackward, type BackwardOptions } from './autograd.js';
import { type Backend, getBackend } from './backend.js';
import {
  moveTensorCount,
  registerTensor,
  releaseStorage,
  retainStorage,
  type StorageRef,
  unregisterTensor,
} from './memory.js';
import * as E from './ops/elementwise.js';
import * as L from './ops/linalg.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape-ops.js';
import * as N from './ops/softmax.js';
import type { GradNode } from './primitives.js';
import { formatShape, type Shape, ShapeError, shapesEqual, sizeOf } from './shape.js';

/** A number or a tensor: ops accept plain numbers wherever a tensor would broadcast. */
export type TensorLike = Tensor | number;

/** Nested arrays of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32 values that can record how it was computed, so that
 * `backward()` can fill in gradients (reverse-mode autograd, the book's chapter 5).
 *
 * Tensors are immutable: every op returns a new tensor. The one exception is `assign`, which
 * optimizers use to replace a parameter's values.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad?.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The size of each axis, outermost first (`[]` for a 0-d scalar). Frozen. */
  readonly shape: Shape;
  /** The number of elements: the product of `shape`. */
  readonly size: number;
  /** Whether backward() should compute a gradient for this tensor. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf, or null before the first backward(). */
  grad: Tensor | null = null;
  /** How this tensor was computed, or null for a leaf. */
  node: GradNode | null = null;
  /**
   * @internal References to this tensor's values: its owner's handle (until `dispose()`), one per
   * recorded op that saved it for backward(), and backward()'s own while it runs. At 0 the buffer
   * is released (see memory.ts).
   */
  refs = 1;
  /** @internal Taken out of every scope by `keep`. */
  isKept = false;
  /** The buffer, shared with the safety net so that `assign` and backend moves update both. */
  readonly #storage: StorageRef;
  #disposed = false;

  /**
   * Wraps backend storage; most code makes tensors with `tensor()`, `zeros()` and the other
   * creation functions instead. The tensor holds a reference to `data` until it is disposed.
   */
  constructor(data: unknown, shape: Shape, backend: Backend = getBackend()) {
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.#storage = { data, backend, size: this.size };
    retainStorage(data, backend, this.size);
    registerTensor(this, this.#storage);
  }

  /** Backend-owned storage; read it with `dataSync()`. */
  get data(): unknown {
    return this.#storage.data;
  }

  /** The backend that owns `data` and runs the ops on this tensor. */
  get backend(): Backend {
    return this.#storage.backend;
  }

  /**
   * @internal Puts the values in another buffer (`assign`, or a leaf moved to another backend):
   * the new one is retained before the old one is released, as they may be the same.
   */
  replaceStorage(data: unknown, backend: Backend): void {
    retainStorage(data, backend, this.size);
    if (this.refs > 0) releaseStorage(this.#storage);
    moveTensorCount(this.#storage.backend, backend);
    this.#storage.data = data;
    this.#storage.backend = backend;
  }

  /** @internal The buffer is released (the last reference went): disarms the safety net. */
  releaseBuffer(): void {
    unregisterTensor(this, this.backend);
    releaseStorage(this.#storage);
  }

  /**
   * True once `dispose()` was called on this tensor (directly, by a `scope`, or by its owner: an
   * optimizer for its slots, `zeroGrad` for gradients). Its values cannot be read any more.
   */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * Lets go of this tensor's values: the backend frees the buffer once no other tensor shares it
   * (a reshape, `detach`) and no recorded op still needs it for `backward()`; then the graph
   * behind it goes too. Disposing twice does nothing; reading a disposed tensor is an error. A
   * leaf's gradient is disposed with it. Library code disposes what it makes; call this in your
   * own loops for tensors you made (or use `scope`, or `using` in TypeScript 5.2+).
   *
   * @example
   * const x = tensor([1, 2, 3]);
   * const y = x.mul(2);
   * y.dispose();
   * y.isDisposed; // true: y.toArray() would throw
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.grad !== null && this.node === null) {
      this.grad.dispose();
      this.grad = null;
    }
    releaseTensor(this);
  }

  /** `dispose()`, for TypeScript's `using t = …`, which disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private assertReadable(method: string): void {
    if (this.#disposed) {
      throw new Error(
        `${method}: this tensor (shape ${formatShape(this.shape)}) was disposed; read its values before dispose(), or keep() it out of the scope that disposed it`,
      );
    }
  }

  /** The number of axes (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors made directly (parameters, inputs) rather than computed by an op. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /**
   * A copy of the values, flat and row-major. Synchronous: a backend whose reads are asynchronous
   * only (WebGPU) cannot provide it, so in loops prefer `dataAsync()`.
   */
  dataSync(): Float32Array {
    this.assertReadable('dataSync');
    return this.backend.read(this.data, this.size);
  }

  /**
   * A copy of the values, flat and row-major, once the backend has them: TF.js's `data()` (here
   * `data` is the backend's storage). In loops, prefer it (and `array()`, `itemAsync()`) over
   * `dataSync()`/`item()`, so the code also runs on backends whose reads are asynchronous only.
   * The values are those of the call, even if `assign` replaces them before the promise settles.
   *
   * @example
   * await tensor([[1, 2], [3, 4]]).dataAsync(); // Float32Array [1, 2, 3, 4]
   */
  dataAsync(): Promise<Float32Array> {
    try {
      this.assertReadable('dataAsync');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.backend.readAsync(this.data, this.size);
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /**
   * The values as nested arrays (a number for a 0-d tensor), as `toArray()` but read
   * asynchronously: TF.js's `array()`. In loops, prefer it over `toArray()`, so the code also
   * runs on backends whose reads are asynchronous only.
   *
   * @example
   * await tensor([[1, 2], [3, 4]]).array(); // [[1, 2], [3, 4]]
   */
  async array(): Promise<NestedArray> {
    return nest(await this.dataAsync(), this.shape);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    this.assertOneElement('item');
    return this.dataSync()[0]!;
  }

  /**
   * The single value of a one-element tensor, read asynchronously; a tensor of another size
   * rejects with a ShapeError. In loops (a running loss, say), prefer it over `item()`, so the
   * code also runs on backends whose reads are asynchronous only.
   *
   * @example
   * await tensor([1, 2, 3]).sum().itemAsync(); // 6
   */
  async itemAsync(): Promise<number> {
    this.assertOneElement('itemAsync');
    return (await this.dataAsync())[0]!;
  }

  private assertOneElement(method: string): void {
    if (this.size !== 1) {
      throw new ShapeError(
        `${method}: the tensor has shape ${formatShape(this.shape)}, not one element`,
      );
    }
  }

  /** The same values, on another backend. */
  toBackend(backend: Backend): Tensor {
    if (backend === this.backend) return this;
    return new Tensor(backend.upload(this.dataSync()), this.shape, backend);
  }

  /** Sets `requiresGrad` on a leaf and returns it, as PyTorch's `requires_grad_()`. */
  requireGrad(flag = true): this {
    if (!this.isLeaf) throw new Error('requireGrad: only leaf tensors can change requiresGrad');
    this.requiresGrad = flag;
    return this;
  }

  /**
   * The same values, cut from the graph: no gradient flows through the result. It shares this
   * tensor's buffer, which stays until both are disposed.
   */
  detach(): Tensor {
    this.assertReadable('detach');
    return new Tensor(this.data, this.shape, this.backend);
  }

  /**
   * Replaces this tensor's values in place (same shape), keeping its identity, gradient and
   * `requiresGrad`: how optimizers update parameters.
   */
  assign(values: Tensor): void {
    if (!shapesEqual(values.shape, this.shape)) {
      throw new ShapeError(
        `assign: cannot assign ${formatShape(values.shape)} to ${formatShape(this.shape)}`,
      );
    }
    if (this.#disposed) this.assertReadable('assign');
    values.assertReadable('assign (the values)');
    if (values.backend === this.backend) {
      this.replaceStorage(values.data, this.backend);
      return;
    }
    const moved = values.toBackend(this.backend);
    this.replaceStorage(moved.data, this.backend);
    moved.dispose();
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires grad, adding it
   * to the leaves' `.grad`. A non-scalar needs the upstream gradient: `backward(grad)`.
   *
   * `backward({ createGraph: true })` (PyTorch's `create_graph=True`) also records the backward
   * pass, so the gradients can be differentiated again: see {@link BackwardOptions}.
   *
   * @example
   * const w = tensor([2, 3], undefined, { requiresGrad: true });
   * w.mul(w).sum().backward(); // d(Σ w²)/dw = 2w
   * w.grad?.toArray(); // [4, 6]
   *
   * const y = w.mul(3); // not a scalar: pass the upstream gradient
   * y.backward(ones([2]));
   * w.grad?.toArray(); // [7, 9]: gradients add up until zeroed
   *
   * @example
   * // A second derivative: d²(Σ x³)/dx² = 6x, through the recorded first backward pass.
   * const x = tensor([1, 2], undefined, { requiresGrad: true });
   * x.pow(3).sum().backward({ createGraph: true });
   * const dx = x.grad!; // 3x² = [3, 12], with requiresGrad
   * x.grad = null; // clear it, or the second pass adds to it
   * dx.sum().backward();
   * x.grad?.toArray(); // [6, 12]
   */
  backward(options?: BackwardOptions): void;
  /**
   * The same with the upstream gradient `grad` of a non-scalar (the gradient of a scalar loss
   * with respect to this tensor), as PyTorch's `backward(gradient, create_graph=…)`.
   *
   * @example
   * const x = tensor([1, 2], undefined, { requiresGrad: true });
   * x.exp().backward(tensor([1, 0.5]), { createGraph: true });
   * x.grad?.requiresGrad; // true: [e, e²/2], differentiable again
   */
  backward(grad: Tensor | undefined, options?: BackwardOptions): void;
  backward(gradOrOptions?: Tensor | BackwardOptions, options?: BackwardOptions): void {
    if (gradOrOptions instanceof Tensor || gradOrOptions === undefined) {
      autogradBackward(this, gradOrOptions, options);
    } else {
      autogradBackward(this, undefined, gradOrOptions);
    }
  }

  /** The shape and, for up to 64 elements, the values: `Tensor([2, 2]) [[1,2],[3,4]]`. */
  toString(): string {
    const values = this.size <= 64 ? JSON.stringify(this.toArray()) : `${this.size} values`;
    return `Tensor(${formatShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''}) ${values}`;
  }

  // Elementwise (broadcasting)
  /** this + other, elementwise with broadcasting: {@link @scratchnet/tensor!add | add}. */
  add(other: TensorLike): Tensor {
    return E.add(this, other);
  }
  /** this − other, elementwise with broadcasting: {@link @scratchnet/tensor!sub | sub}. */
  sub(other: TensorLike): Tensor {
    return E.sub(this, other);
  }
  /**
   * this · other, elementwise with broadcasting (not the matrix product: see `matmul`): {@link
   * @scratchnet/tensor!mul | mul}.
   */
  mul(other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  /** this / other, elementwise with broadcasting: {@link @scratchnet/tensor!div | div}. */
  div(other: TensorLike): Tensor {
    return E.div(this, other);
  }
  /**
   * this raised to `exponent`, elementwise with broadcasting: {@link @scratchnet/tensor!pow | pow}.
   */
  pow(exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  /** The larger of this and other, elementwise: {@link @scratchnet/tensor!maximum | maximum}. */
  maximum(other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  /** The smaller of this and other, elementwise: {@link @scratchnet/tensor!minimum | minimum}. */
  minimum(other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  /** 1 where this = other, else 0: {@link @scratchnet/tensor!eq | eq}. */
  eq(other: TensorLike): Tensor {
    return E.eq(this, other);
  }
  /** 1 where this ≠ other, else 0: {@link @scratchnet/tensor!ne | ne}. */
  ne(other: TensorLike): Tensor {
    return E.ne(this, other);
  }
  /** 1 where this < other, else 0: {@link @scratchnet/tensor!lt | lt}. */
  lt(other: TensorLike): Tensor {
    return E.lt(this, other);
  }
  /** 1 where this ≤ other, else 0: {@link @scratchnet/tensor!le | le}. */
  le(other: TensorLike): Tensor {
    return E.le(this, other);
  }
  /** 1 where this > other, else 0: {@link @scratchnet/tensor!gt | gt}. */
  gt(other: TensorLike): Tensor {
    return E.gt(this, other);
  }
  /** 1 where this ≥ other, else 0: {@link @scratchnet/tensor!ge | ge}. */
  ge(other: TensorLike): Tensor {
    return E.ge(this, other);
  }
  /** −this: {@link @scratchnet/tensor!neg | neg}. */
  neg(): Tensor {
    return E.neg(this);
  }
  /** eˣ, elementwise: {@link @scratchnet/tensor!exp | exp}. */
  exp(): Tensor {
    return E.exp(this);
  }
  /** The natural logarithm, elementwise: {@link @scratchnet/tensor!log | log}. */
  log(): Tensor {
    return E.log(this);
  }
  /** The square root, elementwise: {@link @scratchnet/tensor!sqrt | sqrt}. */
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  /** The absolute value, elementwise: {@link @scratchnet/tensor!abs | abs}. */
  abs(): Tensor {
    return E.abs(this);
  }
  /** x², elementwise: {@link @scratchnet/tensor!square | square}. */
  square(): Tensor {
    return E.square(this);
  }
  /**
   * max(0, x), elementwise: the book's ReLU (section 3.2.7): {@link @scratchnet/tensor!relu |
   * relu}.
   */
  relu(): Tensor {
    return E.relu(this);
  }
  /**
   * 1 / (1 + e⁻ˣ), elementwise: the book's sigmoid (section 3.2.4): {@link
   * @scratchnet/tensor!sigmoid | sigmoid}.
   */
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  /** The hyperbolic tangent, elementwise: {@link @scratchnet/tensor!tanh | tanh}. */
  tanh(): Tensor {
    return E.tanh(this);
  }
  /** Values limited to [min, max]: {@link @scratchnet/tensor!clamp | clamp}. */
  clamp(min?: number, max?: number): Tensor {
    return E.clamp(this, min, max);
  }

  // Reductions
  /** The sum over `axis` (all axes when omitted): {@link @scratchnet/tensor!sum | sum}. */
  sum(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.sum(this, axis, keepdims);
  }
  /** The mean over `axis` (all axes when omitted): {@link @scratchnet/tensor!mean | mean}. */
  mean(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.mean(this, axis, keepdims);
  }
  /** The maximum over `axis` (all axes when omitted): {@link @scratchnet/tensor!max | max}. */
  max(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.max(this, axis, keepdims);
  }
  /** The minimum over `axis` (all axes when omitted): {@link @scratchnet/tensor!min | min}. */
  min(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.min(this, axis, keepdims);
  }
  /**
   * The index of the largest value along `axis` (of the flattened tensor when omitted): {@link
   * @scratchnet/tensor!argmax | argmax}.
   */
  argmax(axis?: number, keepdims = false): Tensor {
    return R.argmax(this, axis, keepdims);
  }
  /**
   * The index of the smallest value along `axis` (of the flattened tensor when omitted): {@link
   * @scratchnet/tensor!argmin | argmin}.
   */
  argmin(axis?: number, keepdims = false): Tensor {
    return R.argmin(this, axis, keepdims);
  }
  /**
   * The variance over `axis` (all axes when omitted): {@link @scratchnet/tensor!variance |
   * variance}.
   */
  variance(axis?: number | readonly number[], options?: R.VarianceOptions): Tensor {
    return R.variance(this, axis, options);
  }

  // Shapes
  /**
   * The same values in a new shape; one size may be -1: {@link @scratchnet/tensor!reshape |
   * reshape}.
   */
  reshape(shape: readonly number[]): Tensor {
    return S.reshape(this, shape);
  }
  /**
   * Axes `startAxis`..`endAxis` merged into one (all of them by default): {@link
   * @scratchnet/tensor!flatten | flatten}.
   */
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return S.flatten(this, startAxis, endAxis);
  }
  /**
   * Axes reordered: output axis i is input axis `perm[i]`: {@link @scratchnet/tensor!permute |
   * permute}.
   */
  permute(perm: readonly number[]): Tensor {
    return S.permute(this, perm);
  }
  /**
   * Two axes swapped (the last two by default): {@link @scratchnet/tensor!transpose | transpose}.
   */
  transpose(axis0 = -2, axis1 = -1): Tensor {
    return S.transpose(this, axis0, axis1);
  }
  /** Matrix transpose of a 2-D tensor, as PyTorch's `.T`. */
  get T(): Tensor {
    return S.transpose(this, 0, 1);
  }
  /** Broadcast to a larger shape: {@link @scratchnet/tensor!expand | expand}. */
  expand(shape: readonly number[]): Tensor {
    return S.expand(this, shape);
  }
  /**
   * `axis` removed if its size is 1 (every size-1 axis when omitted): {@link
   * @scratchnet/tensor!squeeze | squeeze}.
   */
  squeeze(axis?: number): Tensor {
    return S.squeeze(this, axis);
  }
  /** A new axis of size 1 inserted at `axis`: {@link @scratchnet/tensor!unsqueeze | unsqueeze}. */
  unsqueeze(axis: number): Tensor {
    return S.unsqueeze(this, axis);
  }
  /**
   * The box that starts at `begin` with `size` elements along each axis, taking every `step`-th:
   * {@link @scratchnet/tensor!slice | slice}.
   */
  slice(begin: readonly number[], size?: readonly number[], step?: readonly number[]): Tensor {
    return S.slice(this, begin, size, step);
  }
  /** `length` elements of `axis` from `start`: {@link @scratchnet/tensor!narrow | narrow}. */
  narrow(axis: number, start: number, length: number): Tensor {
    return S.narrow(this, axis, start, length);
  }
  /**
   * Padded with `value`; `pads[i]` = [before, after] for axis i: {@link @scratchnet/tensor!pad |
   * pad}.
   */
  pad(pads: readonly (readonly [number, number])[], value = 0): Tensor {
    return S.pad(this, pads, value);
  }

  // Linear algebra and softmax
  /**
   * The matrix product with NumPy's rules (the book's `np.dot` for 2-D operands): {@link
   * @scratchnet/tensor!matmul | matmul}.
   */
  matmul(other: Tensor): Tensor {
    return L.matmul(this, other);
  }
  /**
   * Softmax along `axis` (the last by default), with the maximum subtracted first: {@link
   * @scratchnet/tensor!softmax | softmax}.
   */
  softmax(axis = -1): Tensor {
    return N.softmax(this, axis);
  }
  /**
   * log(softmax(x)) along `axis`, computed so that it stays finite: {@link
   * @scratchnet/tensor!logSoftmax | logSoftmax}.
   */
  logSoftmax(axis = -1): Tensor {
    return N.logSoftmax(this, axis);
  }
}

/** Flat row-major values as nested arrays of `shape` (a number for a 0-d shape). */
function nest(flat: Float32Array, shape: Shape): NestedArray {
  const build = (axis: number, offset: number): NestedArray => {
    if (axis === shape.length) return flat[offset]!;
    const stride = sizeOf(shape.slice(axis + 1));
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** @internal One more reference to `t`'s values: a recorded op saved it, or backward() holds it. */
export function retainTensor(t: Tensor): void {
  t.refs++;
}

/**
 * @internal One reference fewer to `t`'s values. At none its buffer is released, and so are the
 * references its recording op held on the op's inputs (iteratively: a deep graph would overflow
 * the stack).
 */
export function releaseTensor(t: Tensor): void {
  const work = [t];
  while (work.length > 0) {
    const next = work.pop()!;
    if (next.refs <= 0) continue;
    next.refs--;
    if (next.refs > 0) continue;
    next.releaseBuffer();
    const node = next.node;
    if (node !== null && !node.released) {
      node.released = true;
      work.push(...node.inputs);
    }
  }
}

/**
 * @internal Lets go of what a recorded op saved for backward(): after a backward pass without
 * `retainGraph`, PyTorch's freeing of the graph's saved tensors.
 */
export function releaseNode(node: GradNode): void {
  if (node.released) return;
  node.released = true;
  for (const input of node.inputs) releaseTensor(input);
}
