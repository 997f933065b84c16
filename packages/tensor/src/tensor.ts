import { autogradBackward } from './autograd.js';
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
  readonly shape: Shape;
  readonly size: number;
  /** Backend-owned storage; read it with `dataSync()`. */
  data: unknown;
  backend: Backend;
  /** Whether backward() should compute a gradient for this tensor. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf, or null before the first backward(). */
  grad: Tensor | null = null;
  /** How this tensor was computed, or null for a leaf. */
  node: GradNode | null = null;

  constructor(data: unknown, shape: Shape, backend: Backend = getBackend()) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.backend = backend;
  }

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
   * to the leaves' `.grad`. A non-scalar needs the upstream gradient `grad`.
   */
  backward(grad?: Tensor): void {
    autogradBackward(this, grad);
  }

  toString(): string {
    const values = this.size <= 64 ? JSON.stringify(this.toArray()) : `${this.size} values`;
    return `Tensor(${formatShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''}) ${values}`;
  }

  // Elementwise (broadcasting)
  add(other: TensorLike): Tensor {
    return E.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return E.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return E.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  eq(other: TensorLike): Tensor {
    return E.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return E.ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return E.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return E.le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return E.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return E.ge(this, other);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  square(): Tensor {
    return E.square(this);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  clamp(min?: number, max?: number): Tensor {
    return E.clamp(this, min, max);
  }

  // Reductions
  sum(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.sum(this, axis, keepdims);
  }
  mean(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.mean(this, axis, keepdims);
  }
  max(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.max(this, axis, keepdims);
  }
  min(axis?: number | readonly number[], keepdims = false): Tensor {
    return R.min(this, axis, keepdims);
  }
  argmax(axis?: number, keepdims = false): Tensor {
    return R.argmax(this, axis, keepdims);
  }
  argmin(axis?: number, keepdims = false): Tensor {
    return R.argmin(this, axis, keepdims);
  }
  variance(axis?: number | readonly number[], options?: R.VarianceOptions): Tensor {
    return R.variance(this, axis, options);
  }

  // Shapes
  reshape(shape: readonly number[]): Tensor {
    return S.reshape(this, shape);
  }
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return S.flatten(this, startAxis, endAxis);
  }
  permute(perm: readonly number[]): Tensor {
    return S.permute(this, perm);
  }
  transpose(axis0 = -2, axis1 = -1): Tensor {
    return S.transpose(this, axis0, axis1);
  }
  /** Matrix transpose of a 2-D tensor, as PyTorch's `.T`. */
  get T(): Tensor {
    return S.transpose(this, 0, 1);
  }
  expand(shape: readonly number[]): Tensor {
    return S.expand(this, shape);
  }
  squeeze(axis?: number): Tensor {
    return S.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return S.unsqueeze(this, axis);
  }
  slice(begin: readonly number[], size?: readonly number[], step?: readonly number[]): Tensor {
    return S.slice(this, begin, size, step);
  }
  narrow(axis: number, start: number, length: number): Tensor {
    return S.narrow(this, axis, start, length);
  }
  pad(pads: readonly (readonly [number, number])[], value = 0): Tensor {
    return S.pad(this, pads, value);
  }

  // Linear algebra and softmax
  matmul(other: Tensor): Tensor {
    return L.matmul(this, other);
  }
  softmax(axis = -1): Tensor {
    return N.softmax(this, axis);
  }
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
