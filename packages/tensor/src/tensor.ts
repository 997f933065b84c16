import { autogradBackward, type BackwardOptions } from './autograd.js';
import { type Backend, getBackend } from './backend.js';
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
  /** Backend-owned storage; read it with `dataSync()`. */
  data: unknown;
  /** The backend that owns `data` and runs the ops on this tensor. */
  backend: Backend;
  /** Whether backward() should compute a gradient for this tensor. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf, or null before the first backward(). */
  grad: Tensor | null = null;
  /** How this tensor was computed, or null for a leaf. */
  node: GradNode | null = null;

  /**
   * Wraps backend storage; most code makes tensors with `tensor()`, `zeros()` and the other
   * creation functions instead.
   */
  constructor(data: unknown, shape: Shape, backend: Backend = getBackend()) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.backend = backend;
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

  /** The same values, cut from the graph: no gradient flows through the result. */
  detach(): Tensor {
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
    this.data = values.backend === this.backend ? values.data : values.toBackend(this.backend).data;
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
