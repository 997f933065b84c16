/**
 * The backend suite, matrix products: sizes around the GEMM's tiles and blocks, transposed and batched.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, MatmulSpec } from '../../backend.js';
import { expectClose, inputs, sumBound, uniform } from './helpers.js';

/** C = op(A)·op(B) per batch entry, in float64, with Σ|a||b| per element for the error bound. */
function matmulNaive(a: Float32Array, b: Float32Array, spec: MatmulSpec) {
  const { batch, m, k, n, transA, transB } = spec;
  const values = new Float64Array(batch * m * n);
  const absSum = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aOff = spec.broadcastA ? 0 : t * m * k;
    const bOff = spec.broadcastB ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let total = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const av = a[aOff + (transA ? p * m + i : i * k + p)]!;
          const bv = b[bOff + (transB ? j * k + p : p * n + j)]!;
          total += av * bv;
          abs += Math.abs(av * bv);
        }
        values[t * m * n + i * n + j] = total;
        absSum[t * m * n + i * n + j] = abs;
      }
    }
  }
  return { values, absSum };
}

/** (m, k, n): sizes 1, 5, 17, 33 and 130 hit the GEMM's partial 4×4 tiles and its blocking. */
const MATMUL_SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 17],
  [17, 1, 5],
  [5, 17, 1],
  [4, 8, 4],
  [33, 17, 5],
  [5, 33, 130],
  [130, 5, 33],
  [17, 130, 17],
  [2, 300, 3], // k beyond one k-block
  [131, 3, 2], // m beyond one row block
  [2, 3, 1030], // n beyond one column block
];

/** Registers the matmul tests of the backend suite for `backend`. */
export function describeMatmul<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('matmul', () => {
    const combos = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const;
    for (const [m, k, n] of MATMUL_SIZES) {
      it(`(${m}×${k})·(${k}×${n}) in all four transpositions`, () => {
        const t = inputs(backend);
        const a = uniform(m * k, m * 1000 + k);
        const b = uniform(k * n, k * 1000 + n + 7);
        const da = t.up(a);
        const db = t.up(b);
        for (const [transA, transB] of combos) {
          const spec: MatmulSpec = { batch: 1, m, k, n, transA, transB };
          const { values, absSum } = matmulNaive(a, b, spec);
          expectClose(
            `matmul ${m}×${k}×${n} transA=${transA} transB=${transB}`,
            read(backend.matmul(da, db, spec), m * n),
            values,
            { bound: sumBound(absSum, k) },
          );
        }
        t.untouched();
      });
    }

    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])(
      'batched with broadcastA=%s broadcastB=%s, in all four transpositions',
      (broadcastA, broadcastB) => {
        const t = inputs(backend);
        const [batch, m, k, n] = [3, 5, 7, 17];
        const a = uniform((broadcastA ? 1 : batch) * m * k, 51);
        const b = uniform((broadcastB ? 1 : batch) * k * n, 52);
        const da = t.up(a);
        const db = t.up(b);
        for (const [transA, transB] of combos) {
          const spec: MatmulSpec = { batch, m, k, n, transA, transB, broadcastA, broadcastB };
          const { values, absSum } = matmulNaive(a, b, spec);
          expectClose(
            `batched transA=${transA} transB=${transB}`,
            read(backend.matmul(da, db, spec), batch * m * n),
            values,
            { bound: sumBound(absSum, k) },
          );
        }
        t.untouched();
      },
    );

    it('gives zeros when k = 0 and an empty result when m = 0', () => {
      const empty = backend.upload(new Float32Array(0));
      const spec = { batch: 2, m: 2, k: 0, n: 3, transA: false, transB: false };
      expect(Array.from(read(backend.matmul(empty, empty, spec), 12))).toEqual(
        new Array(12).fill(0),
      );
      const b = backend.upload(uniform(6, 53));
      const none = { batch: 1, m: 0, k: 2, n: 3, transA: false, transB: false };
      expect(read(backend.matmul(empty, b, none), 0)).toHaveLength(0);
    });
  });
}
