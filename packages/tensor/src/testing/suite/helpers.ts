/**
 * What the backend suite's families share: small self-contained helpers (deliberately not the
 * library's own, which they check), error bounds and the window geometries.
 */
import { expect } from 'vitest';
import type { Backend, WindowGeometry } from '../../backend.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/** The multi-index of flat position `flat` in a row-major `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** mulberry32: a tiny seeded generator, so the suite's data never depends on the library. */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(n: number, seed: number, low = -2, high = 2): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length: n }, () => low + (high - low) * next());
}

/** Small whole numbers, so that ties (for comparisons, max and argmax) are common. */
export function integers(n: number, seed: number, low = -2, high = 2): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length: n }, () => low + Math.floor((high - low + 1) * next()));
}

export interface Tolerance {
  /** Allowed |actual − expected| per element; a number applies to all. Default 0 (exact). */
  bound?: number | ArrayLike<number>;
  /** Added: rtol·|expected|. */
  rtol?: number;
}

/**
 * Elementwise comparison that treats NaN as equal to NaN and infinities as exact, and names the
 * worst element on failure.
 */
export function expectClose(
  label: string,
  actual: Float32Array,
  expected: ArrayLike<number>,
  { bound = 0, rtol = 0 }: Tolerance = {},
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let excess: number;
    if (Number.isNaN(e) || Number.isNaN(a)) excess = Number.isNaN(e) && Number.isNaN(a) ? 0 : 1;
    else if (!Number.isFinite(e) || !Number.isFinite(a)) excess = a === e ? 0 : 1;
    else {
      const allowed = (typeof bound === 'number' ? bound : bound[i]!) + rtol * Math.abs(e);
      excess = Math.abs(a - e) - allowed;
      if (excess > 0) excess = excess / (allowed || 1) + Number.MIN_VALUE;
      else excess = 0;
    }
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${label}: element ${worst} of ${expected.length} is ${actual[worst]}, expected ${expected[worst]}`,
    );
  }
}

/** Uploads inputs and, at the end of a test, checks that no operation wrote into them. */
export function inputs<D>(backend: Backend<D>) {
  const uploaded: { data: D; values: Float32Array }[] = [];
  return {
    up(values: Float32Array): D {
      const data = backend.upload(values);
      uploaded.push({ data, values: values.slice() });
      return data;
    },
    untouched(): void {
      uploaded.forEach(({ data, values }, i) => {
        expectClose(`input ${i} after the op`, backend.read(data, values.length), values);
      });
    },
  };
}

export function geometry(
  n: number,
  c: number,
  h: number,
  w: number,
  [kh, kw]: [number, number],
  [strideH, strideW]: [number, number],
  [padH, padW]: [number, number],
): WindowGeometry {
  const outH = Math.floor((h + 2 * padH - kh) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - kw) / strideW) + 1;
  return { n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW };
}

export const describeGeometry = (g: WindowGeometry) =>
  `${g.n}×${g.c}×${g.h}×${g.w} k${g.kh}×${g.kw} s${g.strideH}×${g.strideW} p${g.padH}×${g.padW}`;

/** Flat index into `shape` of the element broadcast to multi-index `index` of a larger shape. */
export function broadcastIndex(index: readonly number[], shape: Shape): number {
  const strides = stridesOf(shape);
  const lead = index.length - shape.length;
  let flat = 0;
  shape.forEach((d, i) => {
    if (d !== 1) flat += index[lead + i]! * strides[i]!;
  });
  return flat;
}

/** Visits every (output cell, window cell) pair; `at` is the input offset or −1 in the padding. */
export function forEachWindowCell(
  g: WindowGeometry,
  visit: (
    b: number,
    ch: number,
    oy: number,
    ox: number,
    ky: number,
    kx: number,
    at: number,
  ) => void,
): void {
  for (let b = 0; b < g.n; b++) {
    for (let ch = 0; ch < g.c; ch++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          for (let ky = 0; ky < g.kh; ky++) {
            for (let kx = 0; kx < g.kw; kx++) {
              const y = oy * g.strideH - g.padH + ky;
              const xx = ox * g.strideW - g.padW + kx;
              const inside = y >= 0 && y < g.h && xx >= 0 && xx < g.w;
              visit(b, ch, oy, ox, ky, kx, inside ? ((b * g.c + ch) * g.h + y) * g.w + xx : -1);
            }
          }
        }
      }
    }
  }
}

/** Float32 rounding per operation, times the number of terms: the classic summation bound. */
export const EPS32 = 2 ** -23;
export const sumBound = (absSum: ArrayLike<number>, terms: number) =>
  Float64Array.from(absSum, (s) => 2 * EPS32 * Math.max(terms, 1) * s + 1e-30);

/** Window geometries: kernels, strides and paddings that do and do not divide the image. */
export const WINDOWS: WindowGeometry[] = [
  geometry(1, 1, 4, 4, [3, 3], [1, 1], [0, 0]),
  geometry(2, 3, 7, 5, [3, 3], [2, 2], [1, 1]),
  geometry(1, 2, 6, 7, [2, 3], [1, 2], [1, 0]),
  geometry(2, 1, 5, 5, [5, 5], [1, 1], [2, 2]),
  geometry(1, 2, 7, 5, [2, 2], [2, 2], [0, 0]),
  geometry(1, 2, 7, 6, [3, 2], [2, 3], [1, 1]),
  geometry(1, 1, 3, 3, [1, 1], [2, 2], [0, 0]),
];
