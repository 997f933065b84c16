/**
 * Every differentiable primitive's gradient rule against central differences (`gradCheck`).
 * Inputs keep away from kinks (0 for relu/abs, ties for max/maximum), and every check is shown to
 * fail when its rule is off by 5 %, so the tolerances are tight enough to catch a wrong rule.
 */
import { afterEach, expect, it } from 'vitest';
import { rand, randn, tensor } from './creation.js';
import { gradCheck } from './grad-check.js';
import { gradRules, type Rule } from './grad-rules.js';
import { BINARY_OPS, type BinaryOp, UNARY_OPS, type UnaryOp } from './op-vocabulary.js';
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
import { matmul2 } from './ops/linalg.js';
import { max, min, sum } from './ops/reduce.js';
import { concat, expand, pad, permute, reshape, slice } from './ops/shape-ops.js';
import { type Prim, run } from './primitives.js';
import { manualSeed, RandomGenerator } from './random.js';
import type { Tensor } from './tensor.js';
import { describeEachBackend } from './testing/index.js';
import { primsIn } from './testing/prims-in.js';

/** Comparisons and arg-reductions are piecewise constant: they have no gradient to check. */
const NON_DIFFERENTIABLE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin'] as const;
type Differentiable = Exclude<Prim, (typeof NON_DIFFERENTIABLE)[number]>;

interface Check {
  fn: (...xs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
}

// --- inputs -----------------------------------------------------------------------------------

/** Uniform in [low, high). */
const uniform = (shape: number[], low: number, high: number) =>
  rand(shape)
    .mul(high - low)
    .add(low);

/** Values with |x| ≥ 0.2: well clear of the kink at 0 for steps of 1e-2. */
function awayFromZero(shape: number[]): Tensor {
  const magnitude = uniform(shape, 0.2, 1.5);
  const sign = rand(shape).gt(0.5).mul(2).sub(1);
  return magnitude.mul(sign);
}

/**
 * `count` distinct values 0.25 apart, shuffled: no ties anywhere, so max/min/maximum and max
 * pooling have a unique winner that a step of 1e-2 cannot change.
 */
function distinct(count: number, seed: number): Float32Array {
  const order = new RandomGenerator(seed).permutation(count);
  return Float32Array.from(order, (i) => (i - count / 2) * 0.25);
}

/** Tensors of `shapes` holding, between them, one run of `values(total)` (total: their sizes). */
function tensorsOf(shapes: number[][], values: (total: number) => Float32Array): Tensor[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const all = values(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  return shapes.map((shape, i) => {
    const t = tensor(all.subarray(offset, offset + sizes[i]!), shape);
    offset += sizes[i]!;
    return t;
  });
}

const distinctTensors = (shapes: number[][], seed: number) =>
  tensorsOf(shapes, (total) => distinct(total, seed));

// --- the checks, one per primitive ------------------------------------------------------------

/**
 * Several checks per primitive where broadcasting, axes or transposes change the rule's path.
 * Every primitive outside the op vocabulary needs one; the vocabulary's elementwise ops are all
 * checked by the walk below (`every op of the vocabulary`), so one here is optional.
 */
const checks: { [P in Exclude<Differentiable, UnaryOp | BinaryOp>]: Check[] } & {
  [P in Extract<Differentiable, UnaryOp | BinaryOp>]?: Check[];
} = {
  neg: [{ fn: E.neg, inputs: () => [randn([2, 3])] }],
  exp: [{ fn: E.exp, inputs: () => [randn([2, 3])] }],
  log: [{ fn: E.log, inputs: () => [uniform([2, 3], 0.5, 2)] }],
  sqrt: [{ fn: E.sqrt, inputs: () => [uniform([2, 3], 0.5, 2)] }],
  abs: [{ fn: E.abs, inputs: () => [awayFromZero([3, 4])] }],
  relu: [{ fn: E.relu, inputs: () => [awayFromZero([3, 4])] }],
  reluGrad: [
    { fn: E.reluGrad, inputs: () => [randn([3, 4]), awayFromZero([3, 4])] },
    { fn: E.reluGrad, inputs: () => [randn([4]), awayFromZero([3, 4])] },
  ],
  sigmoid: [{ fn: E.sigmoid, inputs: () => [randn([2, 3]).mul(2)] }],
  tanh: [{ fn: E.tanh, inputs: () => [randn([2, 3])] }],

  add: [
    { fn: E.add, inputs: () => [randn([2, 3]), randn([2, 3])] },
    { fn: E.add, inputs: () => [randn([2, 3]), randn([3])] },
    { fn: E.add, inputs: () => [randn([2, 1]), randn([1, 3])] },
  ],
  sub: [
    { fn: E.sub, inputs: () => [randn([2, 3]), randn([2, 3])] },
    { fn: E.sub, inputs: () => [randn([3]), randn([2, 1, 3])] },
  ],
  mul: [
    { fn: E.mul, inputs: () => [randn([2, 3]), randn([2, 3])] },
    { fn: E.mul, inputs: () => [randn([2, 1, 4]), randn([3, 1])] },
  ],
  div: [
    { fn: E.div, inputs: () => [randn([2, 3]), uniform([2, 3], 0.5, 2)] },
    { fn: E.div, inputs: () => [randn([2, 3]), uniform([2, 1], 0.5, 2)] },
  ],
  pow: [
    { fn: E.pow, inputs: () => [uniform([2, 3], 0.5, 2), uniform([2, 3], -1.5, 2.5)] },
    { fn: E.pow, inputs: () => [uniform([2, 3], 0.5, 2), uniform([3], -1, 2)] },
  ],
  maximum: [
    {
      fn: E.maximum,
      inputs: () =>
        distinctTensors(
          [
            [2, 3],
            [2, 3],
          ],
          1,
        ),
    },
    { fn: E.maximum, inputs: () => distinctTensors([[2, 3], [3]], 2) },
  ],
  minimum: [
    {
      fn: E.minimum,
      inputs: () =>
        distinctTensors(
          [
            [2, 3],
            [2, 3],
          ],
          3,
        ),
    },
    {
      fn: E.minimum,
      inputs: () =>
        distinctTensors(
          [
            [2, 1],
            [1, 4],
          ],
          4,
        ),
    },
  ],

  sum: [
    { fn: (x) => sum(x), inputs: () => [randn([2, 3, 4])] },
    { fn: (x) => sum(x, 1), inputs: () => [randn([2, 3, 4])] },
    { fn: (x) => sum(x, [0, 2], true), inputs: () => [randn([2, 3, 4])] },
  ],
  max: [
    { fn: (x) => max(x), inputs: () => distinctTensors([[3, 4]], 5) },
    { fn: (x) => max(x, 1), inputs: () => distinctTensors([[2, 3, 4]], 6) },
    { fn: (x) => max(x, [0, 2], true), inputs: () => distinctTensors([[2, 3, 4]], 7) },
  ],
  min: [
    { fn: (x) => min(x, 0), inputs: () => distinctTensors([[3, 4]], 8) },
    { fn: (x) => min(x, [1, 2]), inputs: () => distinctTensors([[2, 3, 4]], 9) },
  ],

  matmul: [
    // The primitive directly, in all four transpositions and with a rank-2 operand shared by a batch.
    ...(
      [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ] as const
    ).flatMap(([ta, tb]) => [
      {
        fn: (a: Tensor, b: Tensor) => matmul2(a, b, ta, tb),
        inputs: () => [randn(ta ? [4, 3] : [3, 4]), randn(tb ? [5, 4] : [4, 5])],
      },
      {
        fn: (a: Tensor, b: Tensor) => matmul2(a, b, ta, tb),
        inputs: () => [randn(ta ? [2, 4, 3] : [2, 3, 4]), randn(tb ? [5, 4] : [4, 5])],
      },
      {
        fn: (a: Tensor, b: Tensor) => matmul2(a, b, ta, tb),
        inputs: () => [randn(ta ? [4, 3] : [3, 4]), randn(tb ? [2, 5, 4] : [2, 4, 5])],
      },
    ]),
  ],
  reshape: [{ fn: (x) => reshape(x, [3, 2, 2]), inputs: () => [randn([2, 6])] }],
  permute: [{ fn: (x) => permute(x, [2, 0, 1]), inputs: () => [randn([2, 3, 4])] }],
  expand: [
    { fn: (x) => expand(x, [2, 3, 4]), inputs: () => [randn([3, 1])] },
    { fn: (x) => expand(x, [3, 4]), inputs: () => [randn([4])] },
  ],
  slice: [
    { fn: (x) => slice(x, [1, 0], [2, 3]), inputs: () => [randn([4, 5])] },
    { fn: (x) => slice(x, [0, 1], [3, 2], [2, 2]), inputs: () => [randn([5, 6])] },
    { fn: (x) => slice(x, [1, 0, 2], [2, 2, 1], [1, 2, 3]), inputs: () => [randn([3, 4, 5])] },
  ],
  pad: [
    {
      fn: (x) =>
        pad(x, [
          [1, 2],
          [0, 1],
        ]),
      inputs: () => [randn([2, 3])],
    },
    {
      fn: (x) =>
        pad(
          x,
          [
            [0, 0],
            [2, 0],
          ],
          5,
        ),
      inputs: () => [randn([2, 3])],
    },
  ],
  concat: [
    {
      fn: (a, b, c) => concat([a!, b!, c!], 1),
      inputs: () => [randn([2, 1]), randn([2, 3]), randn([2, 2])],
    },
    { fn: (a, b) => concat([a!, b!], 0), inputs: () => [randn([1, 3]), randn([2, 3])] },
  ],
  im2col: [
    { fn: (x) => im2col(x, 3, 2, 1, 0), inputs: () => [randn([1, 2, 4, 4])] },
    { fn: (x) => im2col(x, 3, 3, 2, 1), inputs: () => [randn([2, 1, 5, 4])] },
  ],
  col2im: [
    { fn: (c) => col2im(c, [1, 2, 4, 4], 3, 2, 1, 0), inputs: () => [randn([6, 12])] },
    { fn: (c) => col2im(c, [2, 1, 5, 4], 3, 3, 2, 1), inputs: () => [randn([12, 9])] },
  ],
  conv2d: [
    { fn: (x, w) => conv2d(x, w), inputs: () => [randn([2, 2, 5, 4]), randn([3, 2, 3, 2])] },
    {
      fn: (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }),
      inputs: () => [randn([2, 2, 5, 5]), randn([3, 2, 3, 3]), randn([3])],
    },
  ],
  conv2dInputGrad: [
    {
      fn: (dy, w) => conv2dInputGrad(dy, w, [2, 2, 5, 4]),
      inputs: () => [randn([2, 3, 3, 3]), randn([3, 2, 3, 2])],
    },
    {
      fn: (dy, w) => conv2dInputGrad(dy, w, [1, 2, 5, 5], { stride: 2, padding: 1 }),
      inputs: () => [randn([1, 3, 3, 3]), randn([3, 2, 3, 3])],
    },
  ],
  conv2dFilterGrad: [
    {
      fn: (x, dy) => conv2dFilterGrad(x, dy, [3, 2]),
      inputs: () => [randn([2, 2, 5, 4]), randn([2, 3, 3, 3])],
    },
    {
      fn: (x, dy) => conv2dFilterGrad(x, dy, 3, { stride: 2, padding: 1 }),
      inputs: () => [randn([1, 2, 5, 5]), randn([1, 3, 3, 3])],
    },
  ],
  maxPool2d: [
    {
      fn: (x) => maxPool2d(x, { kernelSize: 2 }),
      inputs: () => distinctTensors([[1, 2, 4, 4]], 10),
    },
    {
      fn: (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      inputs: () => distinctTensors([[1, 2, 5, 4]], 11),
    },
    {
      fn: (x) => maxPool2d(x, { kernelSize: [2, 3], stride: 1 }),
      inputs: () => distinctTensors([[1, 1, 4, 5]], 12),
    },
  ],
  avgPool2d: [
    { fn: (x) => avgPool2d(x, { kernelSize: 2 }), inputs: () => [randn([1, 2, 4, 4])] },
    {
      fn: (x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      inputs: () => [randn([2, 1, 5, 4])],
    },
  ],
  // The pooling gradients are primitives too (so that pooling has second derivatives).
  maxPool2dBackward: [
    {
      fn: (dy, x) =>
        run('maxPool2dBackward', [dy, x], {
          geometry: windowGeometry('maxPool2dBackward', x.shape, 3, 2, 1),
        }),
      inputs: () => [randn([1, 2, 3, 2]), ...distinctTensors([[1, 2, 5, 4]], 13)],
    },
  ],
  avgPool2dBackward: [
    {
      fn: (dy) =>
        run('avgPool2dBackward', [dy], {
          geometry: windowGeometry('avgPool2dBackward', [2, 1, 5, 4], 3, 2, 1),
        }),
      inputs: () => [randn([2, 1, 3, 2])],
    },
  ],
};

// --- helpers ------------------------------------------------------------------------------------

const withGrad = (xs: Tensor[]) =>
  xs.map((x) => tensor(x.dataSync(), x.shape, { requiresGrad: true }));

const OPTIONS = { eps: 1e-2, atol: 2e-3, rtol: 1e-2 };

const cases = (Object.entries(checks) as [Differentiable, Check[]][]).flatMap(([prim, list]) =>
  list.map((check, i) => [`${prim} #${i + 1}`, prim, check] as const),
);

// --- tests --------------------------------------------------------------------------------------

describeEachBackend('gradient rules against central differences', () => {
  it('checks every differentiable primitive (add a check when you add a primitive)', () => {
    const walked: readonly string[] = [...UNARY_OPS, ...BINARY_OPS];
    const differentiable = Object.keys(gradRules)
      .filter((p) => !(NON_DIFFERENTIABLE as readonly string[]).includes(p) && !walked.includes(p))
      .sort();
    expect(
      Object.keys(checks)
        .filter((p) => !walked.includes(p))
        .sort(),
    ).toEqual(differentiable);
    for (const p of NON_DIFFERENTIABLE) expect(Object.keys(gradRules)).toContain(p);
  });

  it.each(cases)('%s', (_label, prim, { fn, inputs }) => {
    manualSeed(prim.length * 1000 + prim.charCodeAt(0));
    const xs = inputs();
    // The check must actually go through the primitive it is named after.
    expect(primsIn(fn(...withGrad(xs)))).toContain(prim);
    gradCheck(fn, xs, OPTIONS);
  });
});

describeEachBackend('the gradient checks can fail', () => {
  const saved = { ...gradRules };
  afterEach(() => {
    Object.assign(gradRules, saved);
  });

  it.each(cases)('%s: a rule 5 %% off is caught', (_label, prim, { fn, inputs }) => {
    manualSeed(prim.length * 1000 + prim.charCodeAt(0));
    const xs = inputs();
    const right = gradRules[prim] as Rule<Prim>;
    const wrong: Rule<Prim> = (g, ctx) => right(g, ctx).map((d) => (d ? d.mul(1.05) : null));
    (gradRules as Record<Prim, Rule<Prim>>)[prim] = wrong;
    expect(() => gradCheck(fn, xs, OPTIONS)).toThrow(/gradCheck: input \d+, element \d+/);
  });

  it('and the error names the input, the element and both values', () => {
    (gradRules as Record<Prim, Rule<Prim>>).exp = (g) => [g]; // d/dx eˣ is not 1
    // gradCheck weighs the output by w ∈ [0.5, 1.5): autograd gives w, the truth is w·e².
    expect(() => gradCheck(E.exp, [tensor([0.5, 1, 2])])).toThrow(
      /^gradCheck: input 0, element 2: autograd gives [\d.]+, central differences give [\d.]+$/,
    );
  });
});

// --- the vocabulary, walked -------------------------------------------------------------------

/**
 * `count` distinct values 0.25 apart, none within 0.125 of 0 (`mixed`) or all from 0.5 up
 * (`positive`), shuffled: no ties, no kink a step of 1e-2 could cross, and (positive) inside the
 * domain of every op of the vocabulary.
 */
function spaced(count: number, seed: number, kind: 'positive' | 'mixed'): Float32Array {
  const order = new RandomGenerator(seed).permutation(count);
  return Float32Array.from(order, (i) =>
    kind === 'positive' ? 0.5 + i * 0.25 : (i - count / 2 + 0.5) * 0.25,
  );
}

/** Tensors of `shapes` holding one run of {@link spaced} values between them. */
const spacedTensors = (shapes: number[][], seed: number, kind: 'positive' | 'mixed') =>
  tensorsOf(shapes, (total) => spaced(total, seed, kind));

/** The inputs' gradients by the rule table, for an output gradient of ones. */
function ruleGradients(op: Prim, xs: Tensor[]): readonly (Tensor | null)[] {
  const output = run(op, xs, {} as never);
  const rule = gradRules[op] as Rule<Prim>;
  return rule(tensor(new Float32Array(output.size).fill(1), output.shape), {
    inputs: xs,
    output,
    params: {} as never,
    needsGrad: xs.map(() => true),
  });
}

describeEachBackend('every elementwise op of the vocabulary against central differences', () => {
  const zeroGradient: Partial<Record<Prim, readonly number[]>> = {
    ...Object.fromEntries(
      NON_DIFFERENTIABLE.filter((p) => (BINARY_OPS as readonly string[]).includes(p)).map((p) => [
        p,
        [0, 1],
      ]),
    ),
    // ReLU's gradient passes dy where x > 0: it is piecewise constant in x.
    reluGrad: [1],
  };

  it.each([...UNARY_OPS, ...BINARY_OPS])('%s', (op) => {
    expect(gradRules[op], `${op}: no gradient rule`).toBeTypeOf('function');
    const shapes = (UNARY_OPS as readonly string[]).includes(op)
      ? [[[2, 3]]]
      : [
          [
            [2, 3],
            [2, 3],
          ],
          [[2, 3], [3]],
          [
            [2, 1],
            [1, 3],
          ],
        ];
    let checked = 0;
    for (const kind of ['positive', 'mixed'] as const) {
      shapes.forEach((shape, i) => {
        const xs = spacedTensors(shape, 100 + i, kind);
        const fn = (...inputs: Tensor[]) => run(op, inputs, {} as never);
        // Outside the op's domain (log of a negative, say) there is nothing to compare.
        if (
          !fn(...xs)
            .dataSync()
            .every(Number.isFinite)
        )
          return;
        const grads = ruleGradients(op, xs);
        expect(grads, `${op}: one gradient per input`).toHaveLength(xs.length);
        for (const input of zeroGradient[op] ?? []) {
          expect(grads[input], `${op}: input ${input} has no gradient`).toBeNull();
        }
        grads.forEach((g, input) => {
          if (!zeroGradient[op]?.includes(input)) {
            expect(g?.shape, `${op}: gradient of input ${input}`).toEqual(xs[input]!.shape);
          }
        });
        // Where the rule gives null, autograd's gradient is zero: central differences agree.
        gradCheck(fn, xs, OPTIONS);
        checked++;
      });
    }
    expect(checked, `${op}: checked on some inputs`).toBeGreaterThan(0);
  });
});
