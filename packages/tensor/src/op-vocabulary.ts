/**
 * The elementwise and reduction ops, named once. The TypeScript unions, the primitive table's
 * elementwise entries and the wasm backend's op codes (generated into its AssemblyScript by its
 * build) all come from these arrays, so a name cannot drift between them: an op's code is its
 * index here.
 *
 * Adding an elementwise op: its name here, its gradient rule (`grad-rules.ts`), its reference
 * definition (`cpu/elementwise.ts`), its public function (`ops/elementwise.ts`), its wasm kernel
 * (`backend-wasm/assembly/elementwise.ts`) and, if it is to be a method, `tensor.ts`. The shared
 * backend suite and the gradient checks walk these arrays, so the new op is tested on every
 * backend, but a binary op needs its reference in `testing/suite/elementwise.ts` and an op without
 * a gradient goes into `NON_DIFFERENTIABLE`: the full checklist is in docs/architecture.md.
 */

/**
 * Ops of one input: −x, eˣ, ln x, √x, |x|, max(0, x), 1 / (1 + e⁻ˣ), tanh x, x².
 */
export const UNARY_OPS = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'relu',
  'sigmoid',
  'tanh',
  'square',
] as const;

/**
 * Ops of two broadcast inputs; comparisons give 1 or 0. `reluGrad` is a where b > 0, else 0:
 * ReLU's gradient (PyTorch's `threshold_backward`) in one pass instead of a mask and a product.
 */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'reluGrad',
] as const;

/** Reductions over a set of axes; `argmax`/`argmin` take one axis. */
export const REDUCE_OPS = ['sum', 'max', 'min', 'argmax', 'argmin'] as const;

/** Elementwise ops of one input. */
export type UnaryOp = (typeof UNARY_OPS)[number];
/** Elementwise ops of two broadcast inputs (see {@link BINARY_OPS}). */
export type BinaryOp = (typeof BINARY_OPS)[number];
/** Reductions over a set of axes; `argmax`/`argmin` take one axis. */
export type ReduceOp = (typeof REDUCE_OPS)[number];
