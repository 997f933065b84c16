/**
 * The backend suite, elementwise ops: unary and binary (broadcast) against naive definitions.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BinaryOp, UnaryOp } from '../../backend.js';
import { cpuBackend } from '../../cpu/cpu-backend.js';
import { BINARY_OPS, UNARY_OPS } from '../../op-vocabulary.js';
// What the core hands a backend for a binary op (its values are checked here against
// `binaryNaive`, which broadcasts on its own).
import { broadcastSpec } from '../../shape.js';
import {
  broadcastIndex,
  EPS32,
  expectClose,
  inputs,
  integers,
  type Shape,
  sizeOf,
  uniform,
  unravel,
} from './helpers.js';

/**
 * Independent float64 definitions of the unary ops. A new op of the vocabulary needs none to be
 * tested: the vocabulary walk compares every other backend with the reference one, and the
 * gradient walk checks the reference's values against its rule; one here also pins its values.
 */
const unaryReference: Partial<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  relu: (x) => Math.max(x, 0), // NaN stays NaN
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

const binaryReference: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  lt: (a, b) => Number(a < b),
  le: (a, b) => Number(a <= b),
  gt: (a, b) => Number(a > b),
  ge: (a, b) => Number(a >= b),
  reluGrad: (a, b) => (b > 0 ? a : 0),
};

function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    return da === 1 ? db : da;
  });
}

function binaryNaive(
  op: BinaryOp,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
): { values: Float64Array; outShape: number[] } {
  const outShape = broadcastShape(aShape, bShape);
  const values = new Float64Array(sizeOf(outShape));
  for (let o = 0; o < values.length; o++) {
    const index = unravel(o, outShape);
    values[o] = Math.fround(
      binaryReference[op](a[broadcastIndex(index, aShape)]!, b[broadcastIndex(index, bShape)]!),
    );
  }
  return { values, outShape };
}

const EXACT_UNARY = new Set<UnaryOp>(['neg', 'abs', 'relu']);
const ARITHMETIC: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];
const COMPARISONS: BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
/** Ops that pick one input or zero, by the sign of the other. */
const SELECTS: BinaryOp[] = ['reluGrad'];

const BROADCAST_PATTERNS: [Shape, Shape][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[7], [7]],
  [[3, 4], []],
  [[], [3, 4]],
  [[3, 4], [1]],
  [[1], [3, 4]],
  [[4], [1, 1]],
  [[3, 4], [4]],
  [[4], [3, 4]],
  [
    [3, 4],
    [1, 4],
  ],
  [
    [3, 1],
    [3, 4],
  ],
  [
    [3, 4],
    [3, 1],
  ],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [1, 5],
    [6, 1],
  ],
  [[2, 3, 4], [4]],
  [
    [2, 1, 4],
    [2, 3, 4],
  ],
  [
    [2, 3, 1],
    [1, 3, 5],
  ],
  [
    [2, 3, 1, 5],
    [3, 4, 1],
  ],
  [[0, 3], [3]],
];

/**
 * Values for comparing a backend with the reference one, op by op: zeros of both signs, small and
 * large magnitudes of both signs, infinities, NaN and some ordinary values.
 */
const SPREAD = Float32Array.from([
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2,
  -2,
  3,
  -3,
  1e-3,
  -1e-3,
  1e-30,
  20,
  -20,
  80,
  -80,
  1000,
  -1000,
  Infinity,
  -Infinity,
  Number.NaN,
  ...uniform(10, 111, -4, 4),
]);

/** `size` values of {@link SPREAD}, cycling, starting at `shift`. */
const spreadOf = (size: number, shift: number) =>
  Float32Array.from({ length: size }, (_, i) => SPREAD[(i + shift) % SPREAD.length]!);

/**
 * Broadcasts for the vocabulary check: every pair of spread values ([n, 1] with [1, n]), a scalar
 * on either side, a row against a batch, and two axes of 1 against each other.
 */
const VOCABULARY_PATTERNS: [Shape, Shape][] = [
  [
    [SPREAD.length, 1],
    [1, SPREAD.length],
  ],
  [[SPREAD.length], []],
  [[], [SPREAD.length]],
  [[2, 3, 5], [5]],
  [
    [2, 1, 5],
    [3, 1],
  ],
];

/** Ops whose float32 result is correctly rounded (or exact), so backends must agree bit for bit. */
const EXACT_OPS = new Set<string>([
  ...EXACT_UNARY,
  ...ARITHMETIC.filter((op) => op !== 'pow'),
  ...COMPARISONS,
  ...SELECTS,
]);

/** Registers the elementwise tests of the backend suite for `backend`. */
export function describeElementwise<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('unary', () => {
    const special = [0, -0, 1, -1, 0.5, 1e-3, -1e-3, 3, -3, 20, -20, 80, -80, 1000, -1000];
    const values = Float32Array.from([...special, ...uniform(40, 11, -4, 4), Infinity, -Infinity]);
    const defined = UNARY_OPS.filter((op) => unaryReference[op] !== undefined);
    it.each(defined)('%s matches Math on ordinary, large and infinite values', (op) => {
      const t = inputs(backend);
      const out = read(backend.unary(op, t.up(values), values.length), values.length);
      const expected = Array.from(values, (v) => Math.fround(unaryReference[op]!(v)));
      expectClose(op, out, expected, EXACT_UNARY.has(op) ? {} : { rtol: 4 * EPS32 });
      t.untouched();
    });

    it.each(UNARY_OPS)('%s propagates NaN', (op) => {
      const out = read(backend.unary(op, backend.upload(Float32Array.of(Number.NaN, 1)), 2), 2);
      expect(Number.isNaN(out[0])).toBe(true);
      expect(Number.isNaN(out[1])).toBe(false);
    });

    it('sigmoid stays finite and accurate for large |x| (no overflow, no cancellation)', () => {
      const xs = Float32Array.of(-1000, -100, -87, -50, -30, -20, 20, 30, 50, 100, 1000);
      const out = read(backend.unary('sigmoid', backend.upload(xs), xs.length), xs.length);
      xs.forEach((x, i) => {
        const got = out[i]!;
        const want = 1 / (1 + Math.exp(-x));
        expect(Number.isFinite(got), `sigmoid(${x}) = ${got}`).toBe(true);
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(1);
        // Relative accuracy down to the smallest normal float32 (2^-126 ≈ 1.2e-38).
        expect(Math.abs(got - want), `sigmoid(${x}) = ${got}, expected ${want}`).toBeLessThan(
          1e-5 * want + 2 ** -126,
        );
      });
    });

    it('handles size 0', () => {
      expect(read(backend.unary('exp', backend.upload(new Float32Array(0)), 0), 0)).toHaveLength(0);
    });
  });

  describe('binary', () => {
    for (const [aShape, bShape] of BROADCAST_PATTERNS) {
      it(`[${aShape}] with [${bShape}]: every op matches the broadcast reference`, () => {
        const t = inputs(backend);
        for (const op of [...ARITHMETIC, ...COMPARISONS, ...SELECTS]) {
          const isPow = op === 'pow';
          // Whole numbers for b: both signs and exact zeros, where a select switches.
          const makeValues =
            COMPARISONS.includes(op) || op === 'maximum' || op === 'minimum' || op === 'reluGrad';
          const a = isPow
            ? uniform(sizeOf(aShape), 21, 0.1, 3)
            : makeValues
              ? integers(sizeOf(aShape), 22)
              : uniform(sizeOf(aShape), 23);
          const b = isPow
            ? uniform(sizeOf(bShape), 24, -2, 2)
            : makeValues
              ? integers(sizeOf(bShape), 25)
              : uniform(sizeOf(bShape), 26, 0.25, 2);
          const { values } = binaryNaive(op, a, aShape, b, bShape);
          const out = read(
            backend.binary(op, t.up(a), t.up(b), broadcastSpec(op, aShape, bShape)),
            values.length,
          );
          expectClose(`${op} [${aShape}] [${bShape}]`, out, values, {
            rtol: isPow ? 4 * EPS32 : 0,
          });
        }
        t.untouched();
      });
    }

    it('arithmetic and maximum/minimum propagate NaN; comparisons with NaN are false (ne true)', () => {
      const a = Float32Array.of(Number.NaN, 1, Number.NaN);
      const b = Float32Array.of(1, Number.NaN, Number.NaN);
      for (const op of [...ARITHMETIC, ...COMPARISONS]) {
        const out = read(
          backend.binary(op, backend.upload(a), backend.upload(b), broadcastSpec(op, [3], [3])),
          3,
        );
        const expected = COMPARISONS.includes(op)
          ? [op === 'ne' ? 1 : 0, op === 'ne' ? 1 : 0, op === 'ne' ? 1 : 0]
          : [Number.NaN, Number.NaN, Number.NaN];
        expectClose(op, out, expected);
      }
      // reluGrad passes a where b > 0: NaN passes through; a NaN b is not > 0.
      const out = read(
        backend.binary(
          'reluGrad',
          backend.upload(a),
          backend.upload(b),
          broadcastSpec('reluGrad', [3], [3]),
        ),
        3,
      );
      expectClose('reluGrad', out, [Number.NaN, 0, 0]);
    });
  });

  // The reference backend is checked against the naive definitions above; every other backend
  // also against it, op by op, for every name of the vocabulary (a new op needs no new test).
  if ((backend as Backend) !== (cpuBackend as Backend)) {
    describe('every op of the vocabulary against the reference backend', () => {
      /** The op on `backend`, failing with the op's name where the backend lacks it. */
      const attempt = (op: string, run: () => D): D => {
        try {
          return run();
        } catch (error) {
          return expect.fail(
            `${op}: backend "${backend.name}" fails on it (${(error as Error).message})`,
          );
        }
      };

      it.each(UNARY_OPS)('%s', (op) => {
        const t = inputs(backend);
        const x = spreadOf(SPREAD.length * 2, 0).map((v, i) => (i < SPREAD.length ? v : -v));
        const want = cpuBackend.read(
          cpuBackend.unary(op, cpuBackend.upload(x), x.length),
          x.length,
        );
        const data = t.up(x);
        const out = read(
          attempt(op, () => backend.unary(op, data, x.length)),
          x.length,
        );
        expectClose(
          `${op} on "${backend.name}" vs cpu`,
          out,
          want,
          EXACT_OPS.has(op) ? {} : { rtol: 4 * EPS32 },
        );
        t.untouched();
      });

      it.each(BINARY_OPS)('%s, broadcast', (op) => {
        const t = inputs(backend);
        for (const [aShape, bShape] of VOCABULARY_PATTERNS) {
          const a = spreadOf(sizeOf(aShape), 0);
          const b = spreadOf(sizeOf(bShape), 7);
          const spec = broadcastSpec(op, aShape, bShape);
          const size = sizeOf(spec.outShape);
          const want = cpuBackend.read(
            cpuBackend.binary(op, cpuBackend.upload(a), cpuBackend.upload(b), spec),
            size,
          );
          const [da, db] = [t.up(a), t.up(b)];
          const out = read(
            attempt(op, () => backend.binary(op, da, db, spec)),
            size,
          );
          expectClose(
            `${op} [${aShape}] [${bShape}] on "${backend.name}" vs cpu`,
            out,
            want,
            EXACT_OPS.has(op) ? {} : { rtol: 4 * EPS32 },
          );
        }
        t.untouched();
      });
    });
  }
}
