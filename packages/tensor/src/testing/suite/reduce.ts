/**
 * The backend suite, reductions: sum, max, min, argmax and argmin over axes.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, ReduceOp } from '../../backend.js';
import {
  broadcastIndex,
  expectClose,
  inputs,
  integers,
  type Shape,
  sizeOf,
  sumBound,
  uniform,
  unravel,
} from './helpers.js';

/** Reduces `axes` of x; also returns Σ|x| and the count per output element, for error bounds. */
function reduceNaive(op: ReduceOp, x: Float32Array, shape: Shape, axes: readonly number[]) {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = sizeOf(outShape);
  const values = new Float64Array(outSize);
  const absSum = new Float64Array(outSize);
  const count = new Float64Array(outSize);
  const seen = new Uint8Array(outSize);
  const best = new Float64Array(outSize);
  for (let i = 0; i < x.length; i++) {
    const index = unravel(i, shape);
    const o = broadcastIndex(index, outShape);
    const v = x[i]!;
    const position = axes.length === 1 ? index[axes[0]!]! : 0;
    count[o]! += 1;
    absSum[o]! += Math.abs(v);
    if (op === 'sum') values[o]! += v;
    else if (op === 'max' || op === 'min') {
      if (!seen[o]) values[o] = v;
      else if (Number.isNaN(v)) values[o] = v;
      else if (op === 'max' ? v > values[o]! : v < values[o]!) values[o] = v;
    } else {
      // First extreme wins; a NaN counts as the extreme (as PyTorch), the first NaN staying.
      const better = !seen[o]
        ? true
        : Number.isNaN(best[o]!)
          ? false
          : Number.isNaN(v) || (op === 'argmax' ? v > best[o]! : v < best[o]!);
      if (better) {
        best[o] = v;
        values[o] = position;
      }
    }
    seen[o] = 1;
  }
  return { values, absSum, count };
}

/** Registers the reduce tests of the backend suite for `backend`. */
export function describeReduce<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('reduce', () => {
    const cases: [Shape, number[][]][] = [
      [[5], [[0]]],
      [
        [2, 3, 4],
        [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]],
      ],
      [
        [1, 7, 1],
        [[0], [1], [2], [0, 2]],
      ],
      [
        [2, 3, 4, 5],
        [[1, 3], [0, 2], [3], [0]],
      ],
      [
        [3, 1000],
        [[1], [0]],
      ],
    ];
    for (const [shape, axesList] of cases) {
      for (const axes of axesList) {
        it(`sum, max and min of [${shape}] over axes [${axes}]`, () => {
          const t = inputs(backend);
          const x = uniform(sizeOf(shape), 31 + axes.length);
          const data = t.up(x);
          for (const op of ['sum', 'max', 'min'] as const) {
            const { values, absSum, count } = reduceNaive(op, x, shape, axes);
            const out = read(backend.reduce(op, data, shape, axes), values.length);
            const terms = count[0] ?? 1;
            expectClose(
              `${op} [${shape}] axes [${axes}]`,
              out,
              values,
              op === 'sum' ? { bound: sumBound(absSum, terms) } : {},
            );
          }
          t.untouched();
        });
      }
    }

    it.each([
      [[7], 0],
      [[4, 5], 0],
      [[4, 5], 1],
      [[2, 3, 4], 0],
      [[2, 3, 4], 1],
      [[2, 3, 4], 2],
    ] as [Shape, number][])(
      'argmax and argmin of [%s] along %i take the first extreme',
      (shape, axis) => {
        const t = inputs(backend);
        // Few distinct values, so most rows have ties.
        const x = integers(sizeOf(shape), 41, -1, 1);
        const data = t.up(x);
        for (const op of ['argmax', 'argmin'] as const) {
          const { values } = reduceNaive(op, x, shape, [axis]);
          expectClose(
            `${op} [${shape}] along ${axis}`,
            read(backend.reduce(op, data, shape, [axis]), values.length),
            values,
          );
        }
        t.untouched();
      },
    );

    it('NaN wins: sum, max and min give NaN, argmax and argmin point at the first NaN', () => {
      const x = backend.upload(Float32Array.of(1, Number.NaN, 3, Number.NaN, 0, 2, 5, 4));
      for (const op of ['sum', 'max', 'min'] as const) {
        const out = read(backend.reduce(op, x, [2, 4], [1]), 2);
        expect(Number.isNaN(out[0]), op).toBe(true);
        expect(out[1], op).toBe(op === 'sum' ? 11 : op === 'max' ? 5 : 0);
      }
      expect(Array.from(read(backend.reduce('argmax', x, [2, 4], [1]), 2))).toEqual([1, 2]);
      expect(Array.from(read(backend.reduce('argmin', x, [2, 4], [1]), 2))).toEqual([1, 0]);
    });

    it('sums of empty axes are 0', () => {
      const empty = backend.upload(new Float32Array(0));
      expect(Array.from(read(backend.reduce('sum', empty, [2, 0], [1]), 2))).toEqual([0, 0]);
      expect(Array.from(read(backend.reduce('sum', empty, [0, 3], [0]), 3))).toEqual([0, 0, 0]);
    });
  });
}
