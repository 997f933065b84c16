/**
 * The backend suite, windows: im2col, col2im, and max and average pooling with their gradients.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, WindowGeometry } from '../../backend.js';
import {
  describeGeometry,
  EPS32,
  expectClose,
  forEachWindowCell,
  geometry,
  inputs,
  integers,
  sumBound,
  uniform,
  WINDOWS,
} from './helpers.js';

/** im2col: row (b, oy, ox), column (ch, ky, kx). */
function im2colNaive(x: Float32Array, g: WindowGeometry): Float64Array {
  const width = g.c * g.kh * g.kw;
  const cols = new Float64Array(g.n * g.outH * g.outW * width);
  forEachWindowCell(g, (b, ch, oy, ox, ky, kx, at) => {
    const row = (b * g.outH + oy) * g.outW + ox;
    cols[row * width + (ch * g.kh + ky) * g.kw + kx] = at < 0 ? 0 : x[at]!;
  });
  return cols;
}

function col2imNaive(cols: Float32Array, g: WindowGeometry) {
  const width = g.c * g.kh * g.kw;
  const image = new Float64Array(g.n * g.c * g.h * g.w);
  const absSum = new Float64Array(image.length);
  forEachWindowCell(g, (b, ch, oy, ox, ky, kx, at) => {
    if (at < 0) return;
    const v = cols[((b * g.outH + oy) * g.outW + ox) * width + (ch * g.kh + ky) * g.kw + kx]!;
    image[at]! += v;
    absSum[at]! += Math.abs(v);
  });
  return { values: image, absSum };
}

const outIndex = (g: WindowGeometry, b: number, ch: number, oy: number, ox: number) =>
  ((b * g.c + ch) * g.outH + oy) * g.outW + ox;

function maxPoolNaive(x: Float32Array, dy: Float32Array, g: WindowGeometry) {
  const size = g.n * g.c * g.outH * g.outW;
  const values = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
  const argmax = new Int32Array(size).fill(-1);
  forEachWindowCell(g, (b, ch, oy, ox, _ky, _kx, at) => {
    const o = outIndex(g, b, ch, oy, ox);
    if (at < 0 || Number.isNaN(values[o]!)) return;
    if (argmax[o]! < 0 || x[at]! > values[o]! || Number.isNaN(x[at]!)) {
      values[o] = x[at]!;
      argmax[o] = at;
    }
  });
  const dx = new Float64Array(g.n * g.c * g.h * g.w);
  argmax.forEach((at, o) => {
    if (at >= 0) dx[at]! += dy[o]!;
  });
  return { values, dx };
}

function avgPoolNaive(x: Float32Array, dy: Float32Array, g: WindowGeometry) {
  const area = g.kh * g.kw;
  const values = new Float64Array(g.n * g.c * g.outH * g.outW);
  const dx = new Float64Array(g.n * g.c * g.h * g.w);
  forEachWindowCell(g, (b, ch, oy, ox, _ky, _kx, at) => {
    if (at < 0) return; // padding counts as zero, and still counts in the divisor
    const o = outIndex(g, b, ch, oy, ox);
    values[o]! += x[at]! / area;
    dx[at]! += dy[o]! / area;
  });
  return { values, dx };
}

/** Pooling keeps padding at most half the kernel (as PyTorch requires). */
const POOL_WINDOWS = [
  ...WINDOWS.filter((g) => 2 * g.padH <= g.kh && 2 * g.padW <= g.kw),
  // Windows that tile the image (stride = kernel, no padding), where a backend may write the
  // gradient in one pass: the book's 2×2 on an even image, on odd sizes (a last row and column no
  // window covers, whose gradient is 0) and wider than a SIMD step, and 3×3.
  geometry(2, 3, 24, 24, [2, 2], [2, 2], [0, 0]),
  geometry(1, 2, 17, 19, [2, 2], [2, 2], [0, 0]),
  geometry(1, 2, 10, 11, [3, 3], [3, 3], [0, 0]),
];

/** Registers the window tests of the backend suite for `backend`. */
export function describeWindow<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('im2col and col2im', () => {
    it.each(WINDOWS.map((g) => [describeGeometry(g), g] as const))('%s', (_label, g) => {
      const t = inputs(backend);
      const x = uniform(g.n * g.c * g.h * g.w, 91);
      const colsSize = g.n * g.outH * g.outW * g.c * g.kh * g.kw;
      const expectedCols = im2colNaive(x, g);
      const cols = read(backend.im2col(t.up(x), g), colsSize);
      expectClose('im2col', cols, expectedCols);

      const y = uniform(colsSize, 92);
      const { values, absSum } = col2imNaive(y, g);
      const image = read(backend.col2im(t.up(y), g), x.length);
      expectClose('col2im', image, values, { bound: sumBound(absSum, g.kh * g.kw) });

      // Adjoints: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩.
      let left = 0;
      let right = 0;
      let scale = 0;
      cols.forEach((v, i) => {
        left += v * y[i]!;
        scale += Math.abs(v * y[i]!);
      });
      image.forEach((v, i) => {
        right += v * x[i]!;
      });
      expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-5 * scale + 1e-12);
      t.untouched();
    });
  });

  describe('pooling', () => {
    it.each(POOL_WINDOWS.map((g) => [describeGeometry(g), g] as const))(
      'max and average, forward and backward: %s',
      (_label, g) => {
        const t = inputs(backend);
        // Whole numbers in a small range: many windows hold ties, which go to the first maximum.
        const xTies = integers(g.n * g.c * g.h * g.w, 101, -3, 3);
        const xSmooth = uniform(g.n * g.c * g.h * g.w, 102);
        const outSize = g.n * g.c * g.outH * g.outW;
        const dy = uniform(outSize, 103);
        const dyData = t.up(dy);
        for (const [name, x] of [
          ['ties', xTies],
          ['random', xSmooth],
        ] as const) {
          const xData = t.up(x);
          const max = maxPoolNaive(x, dy, g);
          expectClose(
            `maxPool2d (${name})`,
            read(backend.maxPool2d(xData, g), outSize),
            max.values,
          );
          expectClose(
            `maxPool2dBackward (${name})`,
            read(backend.maxPool2dBackward(dyData, xData, g), x.length),
            max.dx,
            { rtol: 4 * EPS32, bound: 1e-6 },
          );
          const avg = avgPoolNaive(x, dy, g);
          expectClose(
            `avgPool2d (${name})`,
            read(backend.avgPool2d(xData, g), outSize),
            avg.values,
            {
              bound: 4 * EPS32 * g.kh * g.kw,
            },
          );
          expectClose(
            `avgPool2dBackward (${name})`,
            read(backend.avgPool2dBackward(dyData, g), x.length),
            avg.dx,
            { bound: 4 * EPS32 * g.kh * g.kw },
          );
        }
        t.untouched();
      },
    );

    it('max pooling propagates NaN and never picks the padding', () => {
      const g = geometry(1, 1, 2, 2, [2, 2], [1, 1], [1, 1]);
      const x = Float32Array.of(-5, Number.NaN, -7, -6);
      const out = read(backend.maxPool2d(backend.upload(x), g), 9);
      const { values } = maxPoolNaive(x, new Float32Array(9), g);
      expectClose('maxPool2d with NaN and negative values', out, values);
      expect(out[0]).toBe(-5); // the padding (−∞ or 0) never wins, even against negatives
    });
  });
}
