import type { BinaryOp } from '../backend.js';
import { getBackend } from '../backend.js';
import { scope } from '../memory.js';
import { run } from '../primitives.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** A plain number as a 0-d tensor on the backend of `like`, so it broadcasts against it. */
function scalarLike(value: number, like?: Tensor): Tensor {
  const backend = like?.backend ?? getBackend();
  return new Tensor(backend.fill(1, value), [], backend);
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const ta = typeof a === 'number' ? scalarLike(a, b as Tensor | undefined) : a;
  const tb = typeof b === 'number' ? scalarLike(b, ta) : b;
  try {
    return run(op, [ta, tb], {});
  } finally {
    // A number's tensor is this call's own (the graph holds it where the op was recorded).
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}

/**
 * Elementwise a + b with NumPy broadcasting.
 * @example add(tensor([[1], [2]]), tensor([10, 20])).toArray() // [[11, 21], [12, 22]]
 */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** Elementwise a − b with NumPy broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** Elementwise a · b with NumPy broadcasting (the book's `*` on arrays; `matmul` is `np.dot`). */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** Elementwise a / b with NumPy broadcasting. */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** Elementwise aᵇ with NumPy broadcasting. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** The larger of a and b, elementwise with broadcasting (`np.maximum`). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** The smaller of a and b, elementwise with broadcasting (`np.minimum`). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
/** Comparisons give 1 where true and 0 where false; no gradient flows through them. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b);
/** 1 where a ≠ b, else 0 (no gradient). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b);
/** 1 where a < b, else 0 (no gradient). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b);
/** 1 where a ≤ b, else 0 (no gradient). */
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b);
/** 1 where a > b, else 0 (no gradient). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b);
/** 1 where a ≥ b, else 0 (no gradient). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b);
/**
 * The book's `step_function` (section 3.2.2): 1 where x > 0, else 0, the book's
 * `np.array(x > 0, dtype=int)` as float32 values. It is a comparison, so its gradient is 0
 * (no gradient flows through it): the reason networks learn with sigmoid instead (section 4.2.5).
 * @example stepFunction(tensor([-1, 1, 2])).toArray() // [0, 1, 1]
 */
export const stepFunction = (x: Tensor): Tensor => gt(x, 0);
/**
 * ReLU's gradient: dy where x > 0, else 0 (PyTorch's `threshold_backward`), one pass.
 * @example reluGrad(tensor([1, 2, 3]), tensor([-1, 0, 5])).toArray() // [0, 0, 3]
 */
export const reluGrad = (dy: TensorLike, x: TensorLike): Tensor => binary('reluGrad', dy, x);

/** −x, elementwise. */
export const neg = (x: Tensor): Tensor => run('neg', [x], {});
/** eˣ, elementwise. */
export const exp = (x: Tensor): Tensor => run('exp', [x], {});
/**
 * The natural logarithm, elementwise (−∞ at 0: the book adds a small delta in its cross-entropy).
 */
export const log = (x: Tensor): Tensor => run('log', [x], {});
/** The square root, elementwise. */
export const sqrt = (x: Tensor): Tensor => run('sqrt', [x], {});
/** The absolute value, elementwise. */
export const abs = (x: Tensor): Tensor => run('abs', [x], {});
/** max(0, x), the book's ReLU. */
export const relu = (x: Tensor): Tensor => run('relu', [x], {});
/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => run('sigmoid', [x], {});
/** The hyperbolic tangent, elementwise. */
export const tanh = (x: Tensor): Tensor => run('tanh', [x], {});
/** x², elementwise. */
export const square = (x: Tensor): Tensor => run('square', [x], {});

/**
 * Limits values to [min, max]. As in PyTorch, the gradient is 1 inside the range, bounds
 * included, and 0 outside.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  return scope(() => clampComposed(x, min, max));
}

function clampComposed(x: Tensor, min?: number, max?: number): Tensor {
  let inside = scalarLike(1, x);
  if (min !== undefined) inside = mul(inside, ge(x, min));
  if (max !== undefined) inside = mul(inside, le(x, max));
  let limited = x.detach();
  if (min !== undefined) limited = maximum(limited, min);
  if (max !== undefined) limited = minimum(limited, max);
  // x·inside carries the gradient; the clamped values outside are constants.
  return add(mul(x, inside), mul(limited, sub(1, inside)));
}

/** Picks `a` where `condition` is non-zero and `b` elsewhere, as `torch.where`. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return scope(() => {
    const chosen = ne(condition, 0);
    return add(mul(chosen, a), mul(sub(1, chosen), b));
  });
}
