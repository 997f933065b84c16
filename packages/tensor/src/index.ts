/**
 * The core of scratchnet: an n-dimensional float32 {@link Tensor} with NumPy broadcasting,
 * reverse-mode autograd (the book's chapter 5, as PyTorch does it: `backward()` fills in
 * `.grad`), the ops the book's networks need, chapter 4's numerical differentiation and gradient
 * checking, a seeded random generator, and the {@link Backend} interface with the plain
 * TypeScript reference backend ({@link cpuBackend}).
 *
 * @example
 * import { tensor } from '@scratchnet/tensor';
 *
 * const x = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad?.toArray(); // [[2, 4], [6, 8]]
 *
 * @module @scratchnet/tensor
 */
export type { BackwardOptions } from './autograd.js';
export { grad } from './autograd.js';
export type {
  AdamSpec,
  Backend,
  BinaryOp,
  BroadcastSpec,
  GatherSpec,
  MatmulSpec,
  ReduceOp,
  UnaryOp,
  WindowGeometry,
} from './backend.js';
export { getBackend, listBackends, registerBackend, setBackend } from './backend.js';
export { cpuBackend } from './cpu/cpu-backend.js';
export type { GemmOperands } from './cpu/gemm.js';
export { gemm } from './cpu/gemm.js';
export type { RandomOptions, TensorData, TensorOptions } from './creation.js';
export { arange, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from './creation.js';
export type { GradCheckOptions, GradCheckResult } from './grad-check.js';
export { gradCheck, numericalGradient } from './grad-check.js';
export { isGradEnabled, noGrad } from './grad-mode.js';
export type { GradContext, Rule } from './grad-rules.js';
export { gradRules } from './grad-rules.js';
export type { MemoryInfo } from './memory.js';
export { keep, memory, scope } from './memory.js';
export type { GradientDescentOptions, GradientDescentResult } from './numerical-diff.js';
export { gradientDescent, numericalDiff, numericalGradientOf } from './numerical-diff.js';
export { BINARY_OPS, REDUCE_OPS, UNARY_OPS } from './op-vocabulary.js';
export type { Conv2dForwardOptions, Conv2dOptions, Pair, Pool2dOptions } from './ops/conv.js';
export {
  avgPool2d,
  col2im,
  conv2d,
  conv2dFilterGrad,
  conv2dInputGrad,
  im2col,
  maxPool2d,
  windowGeometry,
} from './ops/conv.js';
// Every public elementwise op (a new one is exported with no edit here).
export * from './ops/elementwise.js';
export type { AdamStepResult } from './ops/fused.js';
export { adamStep } from './ops/fused.js';
export { linear, matmul } from './ops/linalg.js';
export type { Axes, VarianceOptions } from './ops/reduce.js';
export { argmax, argmin, logSumExp, max, mean, min, sum, variance } from './ops/reduce.js';
export {
  concat,
  expand,
  flatten,
  narrow,
  pad,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from './ops/shape-ops.js';
export type { Reduction } from './ops/softmax.js';
export { logSoftmax, oneHot, predictClasses, softmax, softmaxCrossEntropy } from './ops/softmax.js';
export { checkOptionKeys, closestNames, everyKey } from './options.js';
export type { GradNode, NoParams, Prim, PrimParams } from './primitives.js';
export type { RandomState } from './random.js';
export { defaultGenerator, manualSeed, RandomGenerator } from './random.js';
export type { Shape } from './shape.js';
export {
  broadcastShapes,
  broadcastSpec,
  broadcastStrides,
  formatShape,
  ShapeError,
  shapesEqual,
  sizeOf,
  stridesOf,
} from './shape.js';
export type { NestedArray, TensorLike } from './tensor.js';
export { Tensor } from './tensor.js';
