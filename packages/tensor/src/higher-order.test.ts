/**
 * Higher-order gradients: `backward({ createGraph: true })` and `grad`, and the second (and
 * third) derivatives of every differentiable primitive, checked two ways on the cases of
 * `fixtures/higher-order/double-backward.json` (written by
 * `packages/tensor/scripts/make-higher-order-fixtures.py` with PyTorch in float64):
 *
 * (a) against PyTorch: for L = Σ f(x)·u, the first gradients, the Hessian-vector product
 *     d(Σ ∇L·v)/dx, its derivative in the upstream gradient u (which checks the gradient of each
 *     gradient rule in g, all a linear primitive has) and a third derivative;
 * (b) against central differences of the first gradient (ordinary backward, no graph), for
 *     the derivatives in every input and in u.
 *
 * Both are shown to fail on a rule that gives the right gradient by a non-differentiable route.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { grad } from './autograd.js';
import type { WindowGeometry } from './backend.js';
import { tensor, zeros } from './creation.js';
import { noGrad } from './grad-mode.js';
import { gradRules, type Rule } from './grad-rules.js';
import { numericalGradientOf } from './numerical-diff.js';
import { BINARY_OPS, UNARY_OPS } from './op-vocabulary.js';
import {
  avgPool2d,
  col2im,
  conv2d,
  conv2dFilterGrad,
  conv2dInputGrad,
  im2col,
  maxPool2d,
  windowGeometry,
} from './ops/conv.js';
import * as E from './ops/elementwise.js';
import { matmul } from './ops/linalg.js';
import { max, min, sum } from './ops/reduce.js';
import { concat, expand, pad, permute, reshape, slice } from './ops/shape-ops.js';
import { logSoftmax, softmaxCrossEntropy } from './ops/softmax.js';
import { type Prim, run, wrap } from './primitives.js';
import { ShapeError } from './shape.js';
import type { Tensor } from './tensor.js';
import { primsIn } from './testing/prims-in.js';

// --- the fixture ----------------------------------------------------------------------------

interface Encoded {
  shape: number[];
  data: number[];
}

interface HigherOrderCase {
  name: string;
  op: string;
  params: Record<string, unknown>;
  inputs: Record<string, Encoded>;
  constants: Record<string, Encoded>;
  upstream: Encoded;
  directions: Record<string, Encoded>;
  output: Encoded;
  grads: Record<string, Encoded>;
  hvp: Record<string, Encoded>;
  jvp: Encoded;
  third: Record<string, Encoded>;
}

const { cases } = JSON.parse(
  readFileSync(new URL('./fixtures/higher-order/double-backward.json', import.meta.url), 'utf8'),
) as { cases: HigherOrderCase[] };

type Pair = [number, number];
type Tensors = Record<string, Tensor>;
type Compute = (inputs: Tensors, constants: Tensors, params: Record<string, unknown>) => Tensor;

const pair = (v: unknown) => v as Pair;
const labels = (c: Tensors) => Array.from(c.labels!.dataSync());
const convOptions = (p: Record<string, unknown>) => ({
  stride: pair(p.stride),
  padding: pair(p.padding),
});
const poolOptions = (p: Record<string, unknown>) => ({
  kernelSize: pair(p.kernel),
  ...convOptions(p),
});
const poolGeometry = (x: Tensor, p: Record<string, unknown>) =>
  windowGeometry('pool', x.shape, pair(p.kernel), pair(p.stride), pair(p.padding));
const unary =
  (f: (x: Tensor) => Tensor): Compute =>
  ({ x }) =>
    f(x!);
const binary =
  (f: (a: Tensor, b: Tensor) => Tensor): Compute =>
  ({ a, b }) =>
    f(a!, b!);

/** How each fixture op is written with scratchnet. */
const ops: Record<string, Compute> = {
  neg: unary(E.neg),
  exp: unary(E.exp),
  log: unary(E.log),
  sqrt: unary(E.sqrt),
  abs: unary(E.abs),
  relu: unary(E.relu),
  sigmoid: unary(E.sigmoid),
  tanh: unary(E.tanh),
  add: binary(E.add),
  sub: binary(E.sub),
  mul: binary(E.mul),
  div: binary(E.div),
  pow: binary(E.pow),
  maximum: binary(E.maximum),
  minimum: binary(E.minimum),
  relu_grad: ({ dy }, { x }) => E.reluGrad(dy!, x!),
  sum: ({ x }, _c, p) => sum(x!, (p.axes as number[] | null) ?? undefined),
  max: ({ x }, _c, p) => max(x!, (p.axes as number[] | null) ?? undefined),
  min: ({ x }, _c, p) => min(x!, (p.axes as number[] | null) ?? undefined),
  matmul: binary(matmul),
  reshape: ({ x }, _c, p) => reshape(x!, p.shape as number[]),
  permute: ({ x }, _c, p) => permute(x!, p.perm as number[]),
  expand: ({ x }, _c, p) => expand(x!, p.shape as number[]),
  slice: ({ x }, _c, p) => slice(x!, p.begin as number[], p.size as number[], p.step as number[]),
  pad: ({ x }, _c, p) => pad(x!, p.pads as Pair[], p.value as number),
  concat: ({ a, b }, _c, p) => concat([a!, b!], p.axis as number),
  im2col: ({ x }, _c, p) => im2col(x!, ...pair(p.kernel), pair(p.stride), pair(p.padding)),
  col2im: ({ cols }, _c, p) =>
    col2im(cols!, p.inputShape as number[], ...pair(p.kernel), pair(p.stride), pair(p.padding)),
  conv2d: ({ x, weight, bias }, _c, p) => conv2d(x!, weight!, bias ?? null, convOptions(p)),
  conv2d_input_grad: ({ dy, weight }, _c, p) =>
    conv2dInputGrad(dy!, weight!, p.inputShape as number[], convOptions(p)),
  conv2d_filter_grad: ({ x, dy }, _c, p) =>
    conv2dFilterGrad(x!, dy!, pair(p.kernel), convOptions(p)),
  max_pool2d: ({ x }, _c, p) => maxPool2d(x!, poolOptions(p)),
  avg_pool2d: ({ x }, _c, p) => avgPool2d(x!, poolOptions(p)),
  // The pooling gradients have no function of their own: the primitives, run directly.
  max_pool2d_backward: ({ dy }, { x }, p) =>
    run('maxPool2dBackward', [dy!, x!], { geometry: poolGeometry(x!, p) }),
  avg_pool2d_backward: ({ dy }, { x }, p) =>
    run('avgPool2dBackward', [dy!], { geometry: poolGeometry(x!, p) }),
  cross_entropy: ({ logits }, c) => softmaxCrossEntropy(logits!, labels(c)),
  log_softmax: ({ x }, _c, p) => logSoftmax(x!, p.axis as number),
  mlp: ({ w1, b1, w2 }, c) =>
    softmaxCrossEntropy(E.tanh(matmul(c.x!, w1!).add(b1!)).matmul(w2!), labels(c)),
};

/** The primitive each case is about: the rule the "can fail" tests break. */
const primOf = (op: string): Prim =>
  (
    ({
      relu_grad: 'reluGrad',
      conv2d_input_grad: 'conv2dInputGrad',
      conv2d_filter_grad: 'conv2dFilterGrad',
      max_pool2d: 'maxPool2d',
      avg_pool2d: 'avgPool2d',
      max_pool2d_backward: 'maxPool2dBackward',
      avg_pool2d_backward: 'avgPool2dBackward',
      cross_entropy: 'exp',
      log_softmax: 'exp',
      mlp: 'tanh',
    }) as Record<string, Prim>
  )[op] ?? (op as Prim);

const decode = (e: Encoded, requiresGrad = false) => tensor(e.data, e.shape, { requiresGrad });
const decodeAll = (r: Record<string, Encoded>, requiresGrad = false): Tensors =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, decode(v, requiresGrad)]));

/** Σ of one-element tensors (the first, when there is one). */
const total = (ts: Tensor[]) => ts.reduce((a, b) => a.add(b));
const gradOrZeros = (t: Tensor) => t.grad ?? zeros(t.shape);

interface Derivatives {
  output: Tensor;
  grads: Tensor[];
  hvp: Tensor[];
  jvp: Tensor;
  third: Tensor[];
}

/** What the fixture holds, computed with scratchnet: three backward passes, two recorded. */
function differentiate(c: HigherOrderCase): Derivatives {
  const keys = Object.keys(c.inputs);
  const inputs = decodeAll(c.inputs, true);
  const xs = keys.map((k) => inputs[k]!);
  const vs = keys.map((k) => decode(c.directions[k]!));
  const u = decode(c.upstream, true);
  const leaves = [...xs, u];
  const take = (ts: Tensor[]) => {
    const got = ts.map(gradOrZeros);
    for (const t of leaves) t.grad = null;
    return got;
  };
  const output = ops[c.op]!(inputs, decodeAll(c.constants), c.params);
  output.mul(u).sum().backward({ createGraph: true });
  const grads = take(xs);
  const s = total(grads.map((g, i) => g.mul(vs[i]!).sum()));
  if (s.requiresGrad) s.backward({ createGraph: true });
  const [jvp, ...hvp] = take([u, ...xs]);
  const t = total(hvp.map((h, i) => h.mul(vs[i]!).sum()));
  if (t.requiresGrad) t.backward();
  const third = take(xs);
  return { output, grads, hvp, jvp: jvp!, third };
}

/** Relative to max(1, |expected|): float32 arithmetic against float64 references. */
const RTOL = 2e-5;

/** The worst element of `actual` against `expected`, as a message, or null within tolerance. */
function mismatch(label: string, actual: Tensor, expected: Encoded): string | null {
  if (actual.shape.join() !== expected.shape.join()) {
    return `${label}: shape [${actual.shape}], expected [${expected.shape}]`;
  }
  const got = actual.dataSync();
  let worst = -1;
  let worstRatio = 0;
  got.forEach((v, i) => {
    const want = expected.data[i]!;
    const ratio = Math.abs(v - want) / (RTOL * Math.max(1, Math.abs(want)));
    if (!(ratio <= worstRatio)) {
      worstRatio = ratio; // NaN lands here too, and stays the worst
      worst = i;
    }
  });
  return worst >= 0 && !(worstRatio <= 1)
    ? `${label}: element ${worst} is ${got[worst]}, PyTorch gives ${expected.data[worst]}`
    : null;
}

/** (a): every derivative of the case against PyTorch's; the list of mismatches. */
function againstPyTorch(c: HigherOrderCase): string[] {
  const d = differentiate(c);
  const keys = Object.keys(c.inputs);
  return [
    mismatch('output', d.output, c.output),
    ...keys.map((k, i) => mismatch(`gradient of ${k}`, d.grads[i]!, c.grads[k]!)),
    ...keys.map((k, i) => mismatch(`Hessian·v for ${k}`, d.hvp[i]!, c.hvp[k]!)),
    mismatch('d(∇L·v)/du', d.jvp, c.jvp),
    ...keys.map((k, i) => mismatch(`third derivative for ${k}`, d.third[i]!, c.third[k]!)),
  ].filter((m): m is string => m !== null);
}

/** Central-difference step, and tolerances in float32 (|a − n| ≤ ATOL + NUM_RTOL·|n|). */
const STEP = 1e-2;
const ATOL = 1e-3;
const NUM_RTOL = 5e-3;

/**
 * (b): the second derivatives (in every input and in u) that `backward({ createGraph: true })`
 * gives, against central differences of S = Σ ∇L·v computed by an ordinary backward pass, with
 * the book's `numerical_gradient` (`numericalGradientOf`) over all the values at once.
 */
function againstCentralDifferences(c: HigherOrderCase): { failures: string[]; checked: number } {
  const keys = Object.keys(c.inputs);
  const shapes = [...keys.map((k) => c.inputs[k]!.shape), c.upstream.shape];
  const sizes = [...keys.map((k) => c.inputs[k]!.data.length), c.upstream.data.length];
  const constants = decodeAll(c.constants);
  const vs = keys.map((k) => decode(c.directions[k]!));
  const split = (point: ArrayLike<number>) => {
    let offset = 0;
    return sizes.map((n, i) => {
      const part = tensor(Array.from(point).slice(offset, offset + n), shapes[i], {
        requiresGrad: true,
      });
      offset += n;
      return part;
    });
  };
  const s = (point: Float64Array) => {
    const parts = split(point);
    const u = parts.pop()!;
    const inputs = Object.fromEntries(keys.map((k, i) => [k, parts[i]!]));
    ops[c.op]!(inputs, constants, c.params).mul(u).sum().backward();
    return parts.reduce((acc, x, i) => acc + gradOrZeros(x).mul(vs[i]!).sum().item(), 0);
  };
  const point = [...keys.flatMap((k) => c.inputs[k]!.data), ...c.upstream.data];
  const numeric = numericalGradientOf(s, point, STEP);
  const d = differentiate(c);
  const analytic = [...d.hvp, d.jvp].flatMap((t) => Array.from(t.dataSync()));
  const names = [...keys, 'u'];
  const failures: string[] = [];
  let offset = 0;
  sizes.forEach((n, part) => {
    for (let i = 0; i < n; i++) {
      const a = analytic[offset + i]!;
      const num = numeric[offset + i]!;
      if (!(Math.abs(a - num) <= ATOL + NUM_RTOL * Math.abs(num))) {
        failures.push(`d(∇L·v)/d${names[part]}[${i}]: autograd ${a}, central differences ${num}`);
      }
    }
    offset += n;
  });
  return { failures, checked: analytic.length };
}

const NON_DIFFERENTIABLE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin'];
const byName = cases.map((c) => [c.name, c] as const);

// --- (a) and (b) ------------------------------------------------------------------------------

describe('second derivatives of every primitive against PyTorch (double backward)', () => {
  it('has a case going through every differentiable primitive', () => {
    const covered = new Set<Prim>();
    for (const c of cases) {
      const out = ops[c.op]!(decodeAll(c.inputs, true), decodeAll(c.constants), c.params);
      for (const p of primsIn(out)) covered.add(p);
    }
    // The vocabulary's elementwise ops are all walked below; a PyTorch case here is optional.
    const walked: readonly string[] = [...UNARY_OPS, ...BINARY_OPS];
    const missing = Object.keys(gradRules).filter(
      (p) => !NON_DIFFERENTIABLE.includes(p) && !covered.has(p as Prim) && !walked.includes(p),
    );
    expect(missing, 'primitives without a double-backward case').toEqual([]);
  });

  it.each(byName)('%s', (_name, c) => {
    expect(againstPyTorch(c)).toEqual([]);
  });
});

describe('second derivatives against central differences of the first gradient', () => {
  it.each(byName)('%s', (_name, c) => {
    const { failures, checked } = againstCentralDifferences(c);
    expect(checked).toBeGreaterThan(0);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('the checks fail on a gradient rule that is right only to first order', () => {
  const saved = { ...gradRules };
  afterEach(() => {
    Object.assign(gradRules, saved);
  });
  const rules = gradRules as Record<Prim, Rule<Prim>>;

  // The rule's values, cut from the graph: the first gradient is right, nothing past it is.
  it.each(byName)('%s: a detached rule is caught', (_name, c) => {
    const prim = primOf(c.op);
    const right = saved[prim] as Rule<Prim>;
    rules[prim] = (g, ctx) => right(g, ctx).map((d) => (d ? d.detach() : null));
    const failures = againstPyTorch(c);
    expect(failures.filter((f) => f.startsWith('gradient of'))).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
  });

  it('tanh with its output detached (right in g, wrong in x) fails both checks', () => {
    rules.tanh = (g, { output: y }) => [E.mul(g, E.sub(1, E.mul(y.detach(), y.detach())))];
    const c = cases.find((k) => k.op === 'tanh')!;
    expect(againstPyTorch(c).join('\n')).toMatch(/Hessian·v for x/);
    expect(againstPyTorch(c).join('\n')).not.toMatch(/d\(∇L·v\)\/du/);
    expect(againstCentralDifferences(c).failures.join('\n')).toMatch(/d\(∇L·v\)\/dx/);
  });

  it("max pooling's former rule (a raw backend call) fails both checks", () => {
    rules.maxPool2d = (g, { inputs: [x], params }) => [
      maxPool2dBackwardRaw(g, x!, (params as { geometry: WindowGeometry }).geometry),
    ];
    const c = cases.find((k) => k.op === 'max_pool2d')!;
    expect(againstPyTorch(c).join('\n')).toMatch(/d\(∇L·v\)\/du/);
    expect(againstCentralDifferences(c).failures.join('\n')).toMatch(/d\(∇L·v\)\/du/);
  });
});

/** maxPool2d's gradient as it was before it was a primitive: a kernel call outside the graph. */
function maxPool2dBackwardRaw(g: Tensor, x: Tensor, geometry: WindowGeometry): Tensor {
  return wrap(x.backend, x.backend.maxPool2dBackward(g.data, x.data, geometry), x.shape);
}

// --- the API ------------------------------------------------------------------------------------

const leaf = (values: number[] | number) => tensor(values, undefined, { requiresGrad: true });
/** What an optimizer's zeroGrad does (a function, so TypeScript does not narrow `.grad` to null). */
const clear = (...ts: Tensor[]) => {
  for (const t of ts) t.grad = null;
};

describe('backward({ createGraph: true })', () => {
  it('gives differentiable gradients: d²(Σ x³)/dx² = 6x (the doc example)', () => {
    const x = leaf([1, 2]);
    x.pow(3).sum().backward({ createGraph: true });
    const dx = x.grad!;
    expect(dx.toArray()).toEqual([3, 12]);
    expect(dx.requiresGrad).toBe(true);
    clear(x);
    dx.sum().backward();
    expect(x.grad?.toArray()).toEqual([6, 12]);
  });

  it('keeps backward() and backward(seed) as they were: gradients without a graph', () => {
    const x = leaf([1, 2]);
    x.pow(3).sum().backward();
    expect(x.grad?.requiresGrad).toBe(false);
    expect(x.grad?.isLeaf).toBe(true);
    clear(x);
    x.pow(3).backward(tensor([1, 1]));
    expect(x.grad?.requiresGrad).toBe(false);
    expect(x.grad?.toArray()).toEqual([3, 12]);
    clear(x);
    x.pow(3).sum().backward({ createGraph: false });
    expect(x.grad?.requiresGrad).toBe(false);
  });

  it('takes an upstream gradient with the options: backward(grad, { createGraph })', () => {
    const x = leaf([1, 2]);
    x.exp().backward(tensor([1, 0.5]), { createGraph: true });
    const dx = x.grad!; // [e, e²/2]
    expect(dx.requiresGrad).toBe(true);
    clear(x);
    dx.sum().backward(undefined, { createGraph: false }); // d/dx (e^x·w) = e^x·w again
    const got = Array.from(x.grad!.dataSync());
    expect(got[0]).toBeCloseTo(Math.E, 5);
    expect(got[1]).toBeCloseTo(Math.exp(2) / 2, 5);
  });

  it('records the backward pass even inside noGrad, as PyTorch', () => {
    const x = leaf([3]);
    const y = x.pow(2).sum();
    noGrad(() => y.backward({ createGraph: true }));
    expect(x.grad?.requiresGrad).toBe(true);
  });

  it('gives a gradient penalty its own gradient: d/dw of |∂(w·x²)/∂x|²', () => {
    // f = Σ w·x², ∂f/∂x = 2wx, penalty = Σ (2wx)² = 4w²·Σx², d/dw = 8w·Σx² = 8·1.5·5 = 60.
    const w = leaf(1.5);
    const x = leaf([1, 2]);
    x.square().mul(w).sum().backward({ createGraph: true });
    const penalty = x.grad!.square().sum();
    clear(w, x);
    penalty.backward();
    expect(w.grad?.item()).toBeCloseTo(60, 4);
  });
});

describe('grad', () => {
  it('is the gradient as a function (the doc example)', () => {
    const f = (x: Tensor) => x.pow(3).sum();
    expect(grad(f)(tensor([1, 2])).toArray()).toEqual([3, 12]);
    const d2 = grad(grad((x: Tensor) => x.tanh()));
    const t = Math.tanh(0.5);
    expect(d2(tensor(0.5)).item()).toBeCloseTo(-2 * t * (1 - t * t), 6);
    expect(d2(tensor(0.5)).item()).toBeCloseTo(-0.7269, 4);
  });

  it('composes three times: d³(x⁴)/dx³ = 24x, and once more: 24', () => {
    const f = (x: Tensor) => x.pow(4).sum();
    expect(grad(grad(grad(f)))(tensor(0.5)).item()).toBeCloseTo(12, 4);
    expect(grad(grad(grad(grad(f))))(tensor(0.5)).item()).toBeCloseTo(24, 4);
  });

  it('gives zeros where f does not depend on x, at any order', () => {
    expect(grad(() => tensor(3))(tensor([1, 2])).toArray()).toEqual([0, 0]);
    expect(grad(grad((x: Tensor) => x.mul(2)))(tensor(5)).item()).toBe(0);
  });

  it('passes further arguments through', () => {
    const f = (x: Tensor, k: number) => x.pow(k).sum();
    expect(grad(f)(tensor([2]), 3).toArray()).toEqual([12]);
  });

  it('needs a function of a single value', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(/single value/);
  });

  it("touches no .grad: neither x's nor that of the parameters f closes over", () => {
    const w = leaf([2, 3]);
    const x = leaf([1, 1]);
    const dx = grad((x: Tensor) => x.mul(w).sum())(x);
    expect(dx.toArray()).toEqual([2, 3]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('is differentiable in the tensors f closes over (a Hessian-vector product, mixed terms)', () => {
    // f(x) = Σ w·x³ → ∂f/∂x = 3w·x², and d/dw Σ(∂f/∂x·v) = 3x²·v.
    const w = leaf([1, 2]);
    const v = tensor([1, -1]);
    const x = tensor([2, 3]);
    grad((x: Tensor) => x.pow(3).mul(w).sum())(x)
      .mul(v)
      .sum()
      .backward();
    expect(w.grad?.toArray()).toEqual([12, -27]);
  });

  it('gives a Hessian-vector product: ∇(∇f·v) = Hv for f = ½xᵀAx, H = (A + Aᵀ)/2', () => {
    const a = tensor([
      [2, 1],
      [0, 3],
    ]);
    const f = (x: Tensor) =>
      x
        .reshape([1, 2])
        .matmul(a)
        .matmul(x.reshape([2, 1]))
        .mul(0.5)
        .sum();
    const v = tensor([1, 2]);
    const hv = grad((x: Tensor) => grad(f)(x).mul(v).sum())(tensor([0.3, -0.7]));
    expect(hv.toArray()).toEqual([2 * 1 + 0.5 * 2, 0.5 * 1 + 3 * 2]);
  });

  it('differentiates in its own argument only, even when f closes over the same tensor', () => {
    const x = leaf([2]);
    expect(grad((y: Tensor) => y.mul(x).sum())(x).toArray()).toEqual([2]); // d(y·x)/dy = x
    // d/dx [x · d(x·y)/dy] = d/dx x² = 2x (jax's perturbation-confusion example).
    const outer = grad((x: Tensor) =>
      x.mul(grad((y: Tensor) => x.mul(y).sum())(tensor([1]))).sum(),
    );
    expect(outer(tensor([3])).toArray()).toEqual([6]);
  });

  it('inside noGrad, gives the same values without a graph', () => {
    const f = (x: Tensor) => x.pow(3).sum();
    const dx = noGrad(() => grad(f)(tensor([1, 2])));
    expect(dx.toArray()).toEqual([3, 12]);
    expect(dx.requiresGrad).toBe(false);
    expect(noGrad(() => grad(grad((x: Tensor) => x.pow(3)))(tensor(2))).item()).toBe(12);
  });
});

describe('second derivatives of every elementwise op of the vocabulary', () => {
  // h(x) = Σ v·∂f/∂x with f = Σ op(x, b) (or op(x) for one input): grad(h) is the second
  // derivative times v, checked against central differences of the first gradient (float64 steps
  // over the float32 ops, so the bound is loose; a wrong or cut rule is off by far more).
  const x = tensor([0.35, 0.8, 1.3, 1.9, 2.6, 0.55]);
  const b = tensor([1.7, 0.45, 2.2, 0.6, 1.1, 2.9]);
  const v = tensor([0.3, -1.1, 0.7, 1.4, -0.6, 0.9]);
  const opFor = (op: string): ((t: Tensor) => Tensor) => {
    const run1 = (t: Tensor) => run(op as Prim, [t], {});
    const run2 = (t: Tensor) => run(op as Prim, [t, b], {});
    return (UNARY_OPS as readonly string[]).includes(op) ? run1 : run2;
  };
  const firstGradient = (op: string) => grad((t: Tensor) => sum(opFor(op)(t)));
  const ops = [...UNARY_OPS, ...BINARY_OPS].filter((op) => !NON_DIFFERENTIABLE.includes(op));

  it.each(ops)('%s', (op) => {
    const second = grad((t: Tensor) => sum(E.mul(firstGradient(op)(t), v)))(
      x,
    ).toArray() as number[];
    const numeric = numericalGradientOf(
      (point) =>
        noGrad(() => {
          const g = firstGradient(op)(tensor(Array.from(point)));
          return E.mul(g, v).sum().item() as number;
        }),
      x.dataSync(),
      1e-2,
    );
    numeric.forEach((n, i) => {
      expect(Math.abs(second[i]! - n), `${op}: element ${i}: ${second[i]} vs ${n}`).toBeLessThan(
        2e-3 + 1e-2 * Math.abs(n),
      );
    });
  });
});
