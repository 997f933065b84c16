/**
 * The shared test suite every compute backend must pass. It calls the `Backend` methods directly
 * and compares each result with a straightforward reference written here (naive loops in float64),
 * so it depends on nothing else in the library.
 *
 * @example
 * // my-backend.test.ts
 * import { describeBackendSuite } from '@scratchnet/tensor/testing';
 * describeBackendSuite(myWasmBackend);
 */
import { describe, expect, it } from 'vitest';
import type {
  Backend,
  BinaryOp,
  GatherSpec,
  MatmulSpec,
  ReduceOp,
  UnaryOp,
  WindowGeometry,
} from '../backend.js';
// What the core hands a backend for a binary op (its values are checked here against
// `binaryNaive`, which broadcasts on its own).
import { broadcastSpec } from '../shape.js';

type Shape = readonly number[];

// ---------------------------------------------------------------------------------------------
// Small self-contained helpers (deliberately not the library's own, which they check).

function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/** The multi-index of flat position `flat` in a row-major `shape`. */
function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** mulberry32: a tiny seeded generator, so the suite's data never depends on the library. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(n: number, seed: number, low = -2, high = 2): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length: n }, () => low + (high - low) * next());
}

/** Small whole numbers, so that ties (for comparisons, max and argmax) are common. */
function integers(n: number, seed: number, low = -2, high = 2): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length: n }, () => low + Math.floor((high - low + 1) * next()));
}

interface Tolerance {
  /** Allowed |actual − expected| per element; a number applies to all. Default 0 (exact). */
  bound?: number | ArrayLike<number>;
  /** Added: rtol·|expected|. */
  rtol?: number;
}

/**
 * Elementwise comparison that treats NaN as equal to NaN and infinities as exact, and names the
 * worst element on failure.
 */
function expectClose(
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
function inputs<D>(backend: Backend<D>) {
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

function geometry(
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

const describeGeometry = (g: WindowGeometry) =>
  `${g.n}×${g.c}×${g.h}×${g.w} k${g.kh}×${g.kw} s${g.strideH}×${g.strideW} p${g.padH}×${g.padW}`;

// ---------------------------------------------------------------------------------------------
// Naive references.

const unaryReference: Record<UnaryOp, (x: number) => number> = {
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

/** Flat index into `shape` of the element broadcast to multi-index `index` of a larger shape. */
function broadcastIndex(index: readonly number[], shape: Shape): number {
  const strides = stridesOf(shape);
  const lead = index.length - shape.length;
  let flat = 0;
  shape.forEach((d, i) => {
    if (d !== 1) flat += index[lead + i]! * strides[i]!;
  });
  return flat;
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

function gatherNaive(x: Float32Array, { outShape, strides, offset }: GatherSpec): Float64Array {
  const out = new Float64Array(sizeOf(outShape));
  for (let o = 0; o < out.length; o++) {
    const index = unravel(o, outShape);
    out[o] = x[index.reduce((src, v, d) => src + v * strides[d]!, offset)]!;
  }
  return out;
}

function padNaive(
  x: Float32Array,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
  value: number,
) {
  const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = new Float64Array(sizeOf(outShape)).fill(value);
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < x.length; i++) {
    const index = unravel(i, shape);
    out[index.reduce((dst, v, d) => dst + (v + pads[d]![0]) * outStrides[d]!, 0)] = x[i]!;
  }
  return { values: out, outShape };
}

function concatNaive(xs: readonly Float32Array[], shapes: readonly Shape[], axis: number) {
  const outShape = [...shapes[0]!];
  outShape[axis] = shapes.reduce((total, s) => total + s[axis]!, 0);
  const out = new Float64Array(sizeOf(outShape));
  const outStrides = stridesOf(outShape);
  let start = 0;
  xs.forEach((x, j) => {
    for (let i = 0; i < x.length; i++) {
      const index = unravel(i, shapes[j]!);
      index[axis]! += start;
      out[index.reduce((dst, v, d) => dst + v * outStrides[d]!, 0)] = x[i]!;
    }
    start += shapes[j]![axis]!;
  });
  return out;
}

/** Visits every (output cell, window cell) pair; `at` is the input offset or −1 in the padding. */
function forEachWindowCell(
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

/**
 * Convolution and both its gradients from the definition, in float64, with the sums of absolute
 * terms (for error bounds): y[b,o,oy,ox] = Σ w[o,ch,ky,kx]·x[b,ch,y,x] (+ bias[o]).
 */
function convNaive(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  dy: Float32Array,
  g: WindowGeometry,
  outC: number,
) {
  const plane = g.outH * g.outW;
  const y = new Float64Array(g.n * outC * plane);
  const yAbs = new Float64Array(y.length);
  const dx = new Float64Array(x.length);
  const dxAbs = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  const dwAbs = new Float64Array(w.length);
  for (let b = 0; b < g.n; b++) {
    for (let o = 0; o < outC; o++) {
      for (let p = 0; p < plane; p++) {
        const at = (b * outC + o) * plane + p;
        y[at] = bias ? bias[o]! : 0;
        yAbs[at] = Math.abs(y[at]!);
      }
    }
  }
  forEachWindowCell(g, (b, ch, oy, ox, ky, kx, at) => {
    if (at < 0) return;
    for (let o = 0; o < outC; o++) {
      const wi = ((o * g.c + ch) * g.kh + ky) * g.kw + kx;
      const yi = ((b * outC + o) * g.outH + oy) * g.outW + ox;
      y[yi]! += w[wi]! * x[at]!;
      yAbs[yi]! += Math.abs(w[wi]! * x[at]!);
      dx[at]! += w[wi]! * dy[yi]!;
      dxAbs[at]! += Math.abs(w[wi]! * dy[yi]!);
      dw[wi]! += x[at]! * dy[yi]!;
      dwAbs[wi]! += Math.abs(x[at]! * dy[yi]!);
    }
  });
  return { y, yAbs, dx, dxAbs, dw, dwAbs };
}

/** Float32 sums of `terms` products: |error| ≤ about terms·ε·Σ|products|, whatever the order. */
const productBound = (absSum: Float64Array, terms: number) =>
  Float64Array.from(absSum, (a) => 2 * (terms + 2) * 2 ** -24 * a + 1e-30);

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

// ---------------------------------------------------------------------------------------------
// Cases.

/** Float32 rounding per operation, times the number of terms: the classic summation bound. */
const EPS32 = 2 ** -23;
const sumBound = (absSum: ArrayLike<number>, terms: number) =>
  Float64Array.from(absSum, (s) => 2 * EPS32 * Math.max(terms, 1) * s + 1e-30);

const UNARY_OPS: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'relu', 'sigmoid', 'tanh'];
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

const WINDOWS: WindowGeometry[] = [
  geometry(1, 1, 4, 4, [3, 3], [1, 1], [0, 0]),
  geometry(2, 3, 7, 5, [3, 3], [2, 2], [1, 1]),
  geometry(1, 2, 6, 7, [2, 3], [1, 2], [1, 0]),
  geometry(2, 1, 5, 5, [5, 5], [1, 1], [2, 2]),
  geometry(1, 2, 7, 5, [2, 2], [2, 2], [0, 0]),
  geometry(1, 2, 7, 6, [3, 2], [2, 3], [1, 1]),
  geometry(1, 1, 3, 3, [1, 1], [2, 2], [0, 0]),
];

/** Convolution cases: the shared windows with a few filter counts, and networks' shapes. */
const CONVOLUTIONS: [WindowGeometry, number][] = [
  ...WINDOWS.map((g, i) => [g, [1, 3, 9, 17][i % 4]!] as [WindowGeometry, number]),
  [geometry(3, 4, 12, 12, [3, 3], [1, 1], [1, 1]), 20], // DeepConvNet-like, several GEMM tiles
  [geometry(5, 1, 14, 13, [5, 5], [1, 1], [0, 0]), 30], // SimpleConvNet-like
  [geometry(4, 3, 9, 9, [3, 3], [2, 2], [1, 1]), 8],
  // Many input channels: a backend that works through output rows in cache-sized chunks (the
  // wasm backend does, for C·KH·KW·OW above 64 Ki) needs several chunks per image here.
  [geometry(2, 64, 12, 20, [3, 3], [1, 1], [1, 1]), 5],
  [geometry(1, 100, 21, 30, [3, 3], [2, 2], [1, 1]), 3],
  // 3×3, stride 1, at least 8 channels in and out: where a backend may use Winograd F(2×2, 3×3)
  // (the wasm backend does): odd sizes, paddings 0 to 2, a 1×1 image, several chunks of tiles.
  [geometry(2, 8, 7, 9, [3, 3], [1, 1], [1, 1]), 8],
  [geometry(1, 9, 5, 6, [3, 3], [1, 1], [0, 0]), 10],
  [geometry(2, 16, 6, 5, [3, 3], [1, 1], [2, 2]), 12],
  [geometry(1, 12, 1, 1, [3, 3], [1, 1], [1, 1]), 8],
  [geometry(1, 64, 30, 30, [3, 3], [1, 1], [1, 1]), 64],
];

/** Pooling keeps padding at most half the kernel (as PyTorch requires). */
const POOL_WINDOWS = WINDOWS.filter((g) => 2 * g.padH <= g.kh && 2 * g.padW <= g.kw);

/**
 * Registers the shared backend tests with vitest. Call it at the top level of a test file; it
 * runs every `Backend` method on small and awkward cases and compares with naive references.
 */
export function describeBackendSuite<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe(`backend "${backend.name}"`, () => {
    describe('storage: upload, read, fill', () => {
      it('round-trips values, including NaN, ±Infinity, −0 and subnormals', () => {
        const values = Float32Array.of(1.5, -2, 0, -0, Number.NaN, Infinity, -Infinity, 1e-40);
        const data = backend.upload(values);
        const back = read(data, values.length);
        expectClose('read', back, values);
        expect(Object.is(back[3], -0)).toBe(true);
      });

      it('upload copies its input and read returns a copy the caller owns', () => {
        const values = Float32Array.of(1, 2, 3);
        const data = backend.upload(values);
        values[0] = 99;
        const first = read(data, 3);
        expect(Array.from(first)).toEqual([1, 2, 3]);
        first[1] = 99;
        expect(Array.from(read(data, 3))).toEqual([1, 2, 3]);
      });

      it('fills with a value, and handles size 0', () => {
        expect(Array.from(read(backend.fill(5, 2.5), 5))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
        expect(Array.from(read(backend.fill(3, 0), 3))).toEqual([0, 0, 0]);
        expect(read(backend.fill(0, 1), 0)).toHaveLength(0);
        expect(read(backend.upload(new Float32Array(0)), 0)).toHaveLength(0);
      });
    });

    describe('readAsync', () => {
      it('gives the values read gives, including NaN, ±Infinity, −0, subnormals and size 0', async () => {
        const values = Float32Array.of(1.5, -2, 0, -0, Number.NaN, Infinity, -Infinity, 1e-40);
        const data = backend.upload(values);
        const pending = backend.readAsync(data, values.length);
        expect(pending).toBeInstanceOf(Promise);
        const back = await pending;
        expect(back).toBeInstanceOf(Float32Array);
        expectClose('readAsync', back, read(data, values.length));
        expectClose('readAsync', back, values);
        expect(Object.is(back[3], -0)).toBe(true);
        // A prefix, as read: `size` may be less than the storage holds.
        expect(Array.from(await backend.readAsync(data, 2))).toEqual([1.5, -2]);
        expect(await backend.readAsync(backend.upload(new Float32Array(0)), 0)).toHaveLength(0);
        const op = backend.unary('neg', data, values.length);
        expectClose('readAsync of an op', await backend.readAsync(op, 3), [-1.5, 2, -0]);
      });

      it('returns a copy the caller owns', async () => {
        const data = backend.upload(Float32Array.of(1, 2, 3));
        const [first, second] = await Promise.all([
          backend.readAsync(data, 3),
          backend.readAsync(data, 3),
        ]);
        expect(first).not.toBe(second);
        first![0] = 99;
        first!.fill(-1, 1);
        expect(Array.from(second!)).toEqual([1, 2, 3]);
        expect(Array.from(read(data, 3))).toEqual([1, 2, 3]);
        expect(Array.from(await backend.readAsync(data, 3))).toEqual([1, 2, 3]);
      });

      it('keeps the values of the call once the storage is freed and reused', async () => {
        // Reads are started and their storage dropped at once; then storage of the same sizes
        // is allocated and overwritten, synchronously, and again after a collection (when the
        // test runs with `gc` exposed) and a few turns of the event loop, in which a backend may
        // free the dropped blocks (finalizers) and then reuse them.
        const n = 1000;
        const count = 8;
        const expected = Array.from({ length: count }, (_, i) => uniform(n, 300 + i));
        const pending = expected.map((values) => backend.readAsync(backend.upload(values), n));
        const overwrite = (): D[] => Array.from({ length: 4 * count }, () => backend.fill(n, -7));
        const kept = overwrite();
        (globalThis as { gc?: () => void }).gc?.();
        for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
        kept.push(...overwrite());
        const results = await Promise.all(pending);
        results.forEach((values, i) => {
          expectClose(`readAsync ${i} after its storage was dropped`, values, expected[i]!);
        });
        expect(Array.from(read(kept[kept.length - 1]!, 3))).toEqual([-7, -7, -7]);
      });
    });

    describe('unary', () => {
      const special = [0, -0, 1, -1, 0.5, 1e-3, -1e-3, 3, -3, 20, -20, 80, -80, 1000, -1000];
      const values = Float32Array.from([
        ...special,
        ...uniform(40, 11, -4, 4),
        Infinity,
        -Infinity,
      ]);
      it.each(UNARY_OPS)('%s matches Math on ordinary, large and infinite values', (op) => {
        const t = inputs(backend);
        const out = read(backend.unary(op, t.up(values), values.length), values.length);
        const expected = Array.from(values, (v) => Math.fround(unaryReference[op](v)));
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
        expect(read(backend.unary('exp', backend.upload(new Float32Array(0)), 0), 0)).toHaveLength(
          0,
        );
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

    describe('gather', () => {
      const x = uniform(60, 61);
      const cases: [string, Shape, GatherSpec][] = [
        [
          'a permutation [2,3,4] → [4,2,3]',
          [2, 3, 4],
          { outShape: [4, 2, 3], strides: [1, 12, 4], offset: 0 },
        ],
        ['a broadcast row [3] → [2,3]', [3], { outShape: [2, 3], strides: [0, 1], offset: 0 }],
        [
          'a broadcast column [3,1] → [3,4]',
          [3, 1],
          { outShape: [3, 4], strides: [1, 0], offset: 0 },
        ],
        [
          'a stepped slice of [5,6] from (1,0) by (2,2)',
          [5, 6],
          { outShape: [2, 3], strides: [12, 2], offset: 6 },
        ],
        [
          'a 3-D window with offset',
          [3, 4, 5],
          { outShape: [2, 2, 3], strides: [20, 5, 2], offset: 26 },
        ],
        ['one element (rank 0)', [60], { outShape: [], strides: [], offset: 17 }],
        ['nothing (size 0)', [60], { outShape: [0, 3], strides: [3, 1], offset: 0 }],
      ];
      it.each(cases)('reads %s', (_label, shape, spec) => {
        const t = inputs(backend);
        const values = x.slice(0, sizeOf(shape));
        const expected = gatherNaive(values, spec);
        expectClose('gather', read(backend.gather(t.up(values), spec), expected.length), expected);
        t.untouched();
      });
    });

    describe('pad', () => {
      const cases: [Shape, [number, number][], number][] = [
        [
          [2, 3],
          [
            [1, 2],
            [0, 1],
          ],
          0,
        ],
        [
          [2, 3],
          [
            [0, 0],
            [3, 0],
          ],
          -1.5,
        ],
        [[5], [[2, 2]], 7],
        [
          [2, 1, 3],
          [
            [1, 0],
            [2, 2],
            [0, 1],
          ],
          Number.NEGATIVE_INFINITY,
        ],
        [
          [2, 3],
          [
            [0, 0],
            [0, 0],
          ],
          1,
        ],
        [
          [0, 2],
          [
            [1, 1],
            [0, 0],
          ],
          3,
        ],
      ];
      it.each(cases)('pads [%s] by %j with %d', (shape, pads, value) => {
        const t = inputs(backend);
        const x = uniform(sizeOf(shape), 71);
        const { values } = padNaive(x, shape, pads, value);
        expectClose('pad', read(backend.pad(t.up(x), shape, pads, value), values.length), values);
        t.untouched();
      });
    });

    describe('concat', () => {
      const cases: [Shape[], number][] = [
        [
          [
            [2, 3],
            [2, 1],
            [2, 4],
          ],
          1,
        ],
        [
          [
            [1, 3],
            [2, 3],
          ],
          0,
        ],
        [
          [
            [2, 3, 1],
            [2, 3, 2],
          ],
          2,
        ],
        [
          [
            [2, 0, 3],
            [2, 2, 3],
            [2, 1, 3],
          ],
          1,
        ],
        [[[4], [3]], 0],
        [[[2, 2]], 0],
      ];
      it.each(cases)('joins %j along axis %i', (shapes, axis) => {
        const t = inputs(backend);
        const xs = shapes.map((s, i) => uniform(sizeOf(s), 81 + i));
        const expected = concatNaive(xs, shapes, axis);
        const out = backend.concat(
          xs.map((x) => t.up(x)),
          shapes,
          axis,
        );
        expectClose('concat', read(out, expected.length), expected);
        t.untouched();
      });
    });

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

    describe('conv2d and its gradients', () => {
      it.each(
        CONVOLUTIONS.map(
          ([g, outC]) => [`${describeGeometry(g)}, ${outC} filters`, g, outC] as const,
        ),
      )('%s', (_label, g, outC) => {
        const t = inputs(backend);
        const terms = g.c * g.kh * g.kw;
        const x = uniform(g.n * g.c * g.h * g.w, 93);
        const w = uniform(outC * terms, 94);
        const bias = uniform(outC, 95);
        const dy = uniform(g.n * outC * g.outH * g.outW, 96);
        const want = convNaive(x, w, bias, dy, g, outC);
        const plain = convNaive(x, w, null, dy, g, outC);
        const [xd, wd, bd, dyd] = [t.up(x), t.up(w), t.up(bias), t.up(dy)];
        const y = read(backend.conv2d(xd, wd, bd, g, outC), dy.length);
        expectClose('conv2d with bias', y, want.y, { bound: productBound(want.yAbs, terms + 1) });
        const y0 = read(backend.conv2d(xd, wd, null, g, outC), dy.length);
        expectClose('conv2d', y0, plain.y, { bound: productBound(plain.yAbs, terms) });
        const dx = read(backend.conv2dInputGrad(dyd, wd, g, outC), x.length);
        expectClose('conv2dInputGrad', dx, want.dx, {
          bound: productBound(want.dxAbs, outC * g.kh * g.kw),
        });
        const dw = read(backend.conv2dFilterGrad(xd, dyd, g, outC), w.length);
        expectClose('conv2dFilterGrad', dw, want.dw, {
          bound: productBound(want.dwAbs, g.n * g.outH * g.outW),
        });
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
  });
}
