/**
 * Golden tests: scratchnet against PyTorch references in float64, written by
 * `scripts/make-fixtures.py` (`pnpm fixtures`) into `src/fixtures/*.json`. No Python is needed
 * to run them. Each case has the forward value and the gradient of every differentiable input;
 * non-scalar outputs are reduced by a fixed upstream gradient stored with the case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from './creation.js';
import { avgPool2d, conv2d, maxPool2d, type Pair } from './ops/conv.js';
import { add, relu } from './ops/elementwise.js';
import { matmul } from './ops/linalg.js';
import { flatten } from './ops/shape-ops.js';
import { logSoftmax, softmax, softmaxCrossEntropy } from './ops/softmax.js';
import type { Tensor } from './tensor.js';
import { describeEachBackend } from './testing/index.js';

interface Encoded {
  shape: number[];
  data: number[];
}

interface GoldenCase {
  name: string;
  op: string;
  params: Record<string, unknown>;
  inputs: Record<string, Encoded>;
  constants: Record<string, Encoded>;
  output: Encoded;
  upstream: Encoded | null;
  grads: Record<string, Encoded>;
}

const RTOL = 1e-4;

type Inputs = Record<string, Tensor>;
type Constants = Record<string, Encoded>;
type Compute = (inputs: Inputs, constants: Constants, params: Record<string, unknown>) => Tensor;

const asPair = (v: unknown): Pair => v as [number, number];
const labelsOf = (c: Constants): number[] => c.labels!.data;

/** How each fixture op is written with scratchnet. */
const ops: Record<string, Compute> = {
  conv2d: ({ x, weight, bias }, _c, p) =>
    conv2d(x!, weight!, bias ?? null, { stride: asPair(p.stride), padding: asPair(p.padding) }),
  max_pool2d: ({ x }, _c, p) =>
    maxPool2d(x!, {
      kernelSize: asPair(p.kernel),
      stride: asPair(p.stride),
      padding: asPair(p.padding),
    }),
  avg_pool2d: ({ x }, _c, p) =>
    avgPool2d(x!, {
      kernelSize: asPair(p.kernel),
      stride: asPair(p.stride),
      padding: asPair(p.padding),
    }),
  matmul: ({ a, b }) => matmul(a!, b!),
  log_softmax: ({ x }, _c, p) => logSoftmax(x!, p.axis as number),
  softmax: ({ x }, _c, p) => softmax(x!, p.axis as number),
  cross_entropy: ({ logits }, c) =>
    c.target
      ? softmaxCrossEntropy(logits!, tensor(c.target.data, c.target.shape))
      : softmaxCrossEntropy(logits!, labelsOf(c)),
  chain: ({ x, w1, b1, w2, b2 }, c, p) => {
    const h = relu(conv2d(x!, w1!, b1!, { padding: p.padding as number }));
    const pooled = maxPool2d(h, {
      kernelSize: p.poolKernel as number,
      stride: p.poolStride as number,
    });
    const logits = add(matmul(flatten(pooled, 1), w2!.T), b2!);
    return softmaxCrossEntropy(logits, labelsOf(c));
  },
};

/**
 * Elementwise |actual − expected| ≤ rtol·max(1, |expected|); on failure, names the worst element
 * with its flat index and both values.
 */
function expectClose(label: string, actual: Tensor | null, expected: Encoded): void {
  expect(actual, `${label}: missing`).not.toBeNull();
  expect(actual!.shape, `${label}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < got.length; i++) {
    const want = expected.data[i]!;
    const ratio = Math.abs(got[i]! - want) / (RTOL * Math.max(1, Math.abs(want)));
    if (!(ratio <= worstRatio)) {
      worstRatio = ratio; // NaN also lands here, and stays the worst
      worst = i;
    }
  }
  if (worst >= 0 && !(worstRatio <= 1)) {
    expect.fail(
      `${label}: element ${worst} is ${got[worst]}, expected ${expected.data[worst]} ` +
        `(error ${(worstRatio * RTOL).toExponential(2)} relative, tolerance ${RTOL})`,
    );
  }
}

const fixtureDir = new URL('./fixtures/', import.meta.url);
const files = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describeEachBackend('golden fixtures (PyTorch float64 references)', () => {
  it('finds the fixture files', () => {
    expect(files).toEqual([
      'chain.json',
      'conv2d.json',
      'matmul.json',
      'pool.json',
      'softmax.json',
    ]);
  });

  for (const file of files) {
    const { cases } = JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as {
      cases: GoldenCase[];
    };
    describe(file, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const compute = ops[c.op];
        if (!compute) throw new Error(`no scratchnet recipe for fixture op "${c.op}"`);
        const leaves = Object.fromEntries(
          Object.entries(c.inputs).map(([key, v]) => [
            key,
            tensor(v.data, v.shape, { requiresGrad: true }),
          ]),
        );
        const out = compute(leaves, c.constants, c.params);
        expectClose('output', out, c.output);
        if (c.upstream) out.backward(tensor(c.upstream.data, c.upstream.shape));
        else out.backward();
        for (const [key, grad] of Object.entries(c.grads)) {
          expectClose(`gradient of ${key}`, leaves[key]!.grad, grad);
        }
      });
    });
  }
});
