/**
 * Who frees what. Backend storage (wasm memory, GPU buffers) is invisible to the garbage
 * collector, so the library frees it deterministically, as PyTorch does with reference counts and
 * TF.js with `dispose`/`tidy`:
 * - a buffer counts the tensors that share it (a reshape or `detach` is a second tensor on the
 *   same buffer); the backend frees it when the last one lets go;
 * - a tensor counts its owner's handle (until `dispose()`), each recorded op that saved it for
 *   `backward()`, and `backward()`'s own hold while it runs; its buffer goes when the count does;
 * - `scope(fn)` disposes every tensor made inside `fn` but what it returns, and `keep(t)` takes a
 *   tensor out of every scope (a gradient, an optimizer's slot, a parameter).
 * A finalizer frees what a user drops without disposing: a safety net, counted in `memory()`.
 */
import type { Backend } from './backend.js';
import type { Tensor } from './tensor.js';

/** A buffer as a tensor holds it: what the finalizer frees if the tensor is dropped undisposed. */
export interface StorageRef {
  data: unknown;
  backend: Backend;
  /** Elements, for the byte counts. */
  size: number;
}

/** Live counts, from {@link memory}. */
export interface MemoryInfo {
  /** Tensors made and not yet disposed (by `dispose()`, a scope or the safety net). */
  tensors: number;
  /** Backend buffers in use: tensors that share a buffer (views, `detach`) count it once. */
  buffers: number;
  /** Bytes of those buffers (4 per float32 element). */
  bytes: number;
  /**
   * Tensors freed by the garbage collector's safety net because nobody disposed them, since the
   * process started. The library's own loops leave this unchanged.
   */
  finalized: number;
}

const storageRefs = new WeakMap<object, number>();
const newCounts = (): MemoryInfo => ({ tensors: 0, buffers: 0, bytes: 0, finalized: 0 });
const counts = newCounts();
/** The same counts for each backend (weak: a closed backend's counts go with it). */
const countsByBackend = new WeakMap<Backend, MemoryInfo>();

function countsOf(backend: Backend): MemoryInfo {
  let found = countsByBackend.get(backend);
  if (!found) {
    found = newCounts();
    countsByBackend.set(backend, found);
  }
  return found;
}

/** Adds `delta` to a count, overall and for `backend`. */
function count(backend: Backend, key: keyof MemoryInfo, delta: number): void {
  counts[key] += delta;
  countsOf(backend)[key] += delta;
}

function isObject(data: unknown): data is object {
  return (typeof data === 'object' || typeof data === 'function') && data !== null;
}

/** One more tensor on this buffer. */
export function retainStorage(data: unknown, backend: Backend, size: number): void {
  if (!isObject(data)) return;
  const refs = storageRefs.get(data) ?? 0;
  storageRefs.set(data, refs + 1);
  if (refs === 0) {
    count(backend, 'buffers', 1);
    count(backend, 'bytes', size * 4);
  }
}

/** One tensor fewer on this buffer; the last one hands it back to its backend. */
export function releaseStorage({ data, backend, size }: StorageRef): void {
  if (!isObject(data)) return;
  const refs = storageRefs.get(data);
  if (refs === undefined) return;
  if (refs > 1) {
    storageRefs.set(data, refs - 1);
    return;
  }
  storageRefs.delete(data);
  count(backend, 'buffers', -1);
  count(backend, 'bytes', -size * 4);
  backend.dispose(data);
}

// The safety net: a tensor dropped without `dispose()` lets go of its buffer when collected. It
// holds the StorageRef (never the tensor), which `assign` updates in place.
const finalizer = new FinalizationRegistry<StorageRef>((storage) => {
  count(storage.backend, 'finalized', 1);
  count(storage.backend, 'tensors', -1);
  releaseStorage(storage);
});

/** Counts a new tensor and arms the safety net for it. */
export function registerTensor(t: Tensor, storage: StorageRef): void {
  count(storage.backend, 'tensors', 1);
  finalizer.register(t, storage, t);
  scopes[scopes.length - 1]?.push(t);
}

/** A tensor moved to another backend (a leaf brought to where an op runs). */
export function moveTensorCount(from: Backend, to: Backend): void {
  if (from === to) return;
  count(from, 'tensors', -1);
  count(to, 'tensors', 1);
}

/** The tensor's buffer is being released on purpose: disarm the safety net. */
export function unregisterTensor(t: Tensor, backend: Backend): void {
  count(backend, 'tensors', -1);
  finalizer.unregister(t);
}

/**
 * What is alive now, as TF.js's `tf.memory()`: tensors, the buffers behind them and their bytes,
 * and how many tensors the garbage collector had to free because nobody disposed them; over all
 * backends, or for one. A loop whose counts grow from one step to the next keeps something it
 * should free.
 *
 * @example
 * const before = memory().buffers;
 * scope(() => tensor([1, 2, 3]).mul(2).sum().item());
 * memory().buffers - before; // 0: everything made inside the scope is freed
 */
export function memory(backend?: Backend): MemoryInfo {
  return { ...(backend ? countsOf(backend) : counts) };
}

/** The tensors made inside each open `scope`, innermost last. */
const scopes: Tensor[][] = [];

/** Every tensor in `value`: itself, or inside arrays, plain objects and Maps (not deeper than 4). */
function tensorsIn(value: unknown, found: Set<Tensor>, depth = 0): Set<Tensor> {
  if (!isObject(value) || depth > 4) return found;
  if (isTensor(value)) {
    found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) tensorsIn(item, found, depth + 1);
  } else if (value instanceof Map) {
    for (const item of value.values()) tensorsIn(item, found, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) tensorsIn(item, found, depth + 1);
  }
  return found;
}

function isTensor(value: object): value is Tensor {
  return typeof (value as Partial<Tensor>).dispose === 'function' && 'shape' in value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `fn` and then disposes every tensor made while it ran, except those it returns (a tensor,
 * or tensors in an array, a plain object or a Map) and those taken out with `keep`: TF.js's
 * `tidy`. What it returns belongs to the enclosing scope, if any. Tensors the graph still needs
 * for `backward()` keep their values until the backward pass (or the graph) lets go of them.
 *
 * Synchronous only: a scope cannot see which tensors an `await` would make, so an `fn` that
 * returns a promise is an error. In an async loop, put each synchronous stretch in a scope.
 *
 * @example
 * // A training step in a user's own loop: nothing of it outlives the step but what it returns.
 * const loss = scope(() => {
 *   optimizer.zeroGrad();
 *   const loss = net.loss(x, t);
 *   loss.backward();
 *   optimizer.step();
 *   return loss.item();
 * });
 */
export function scope<T>(fn: () => T): T {
  const made: Tensor[] = [];
  scopes.push(made);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const t of made) if (!t.isKept) t.dispose();
    throw error;
  }
  scopes.pop();
  if (isPromiseLike(result)) {
    for (const t of made) if (!t.isKept) t.dispose();
    throw new Error(
      'scope: fn returned a promise; a scope is synchronous only (it cannot see what an await makes). Put each synchronous stretch of the async code in its own scope.',
    );
  }
  const returned = tensorsIn(result, new Set());
  const outer = scopes[scopes.length - 1];
  for (const t of made) {
    if (returned.has(t)) outer?.push(t);
    else if (!t.isKept) t.dispose();
  }
  return result;
}

/**
 * Takes `t` out of every scope, so that no scope disposes it: for a tensor that outlives the step
 * that made it (a gradient, an optimizer's moment, a cached result). Its owner disposes it.
 *
 * @example
 * let cache: Tensor | null = null;
 * scope(() => {
 *   cache = keep(tensor([1, 2]).mul(2)); // survives the scope
 * });
 * cache!.toArray(); // [2, 4]
 */
export function keep<T extends Tensor>(t: T): T {
  t.isKept = true;
  return t;
}
