/**
 * The backend suite, convolution: conv2d and both its gradients.
 */
import { describe, it } from 'vitest';
import type { Backend, WindowGeometry } from '../../backend.js';
import {
  describeGeometry,
  expectClose,
  forEachWindowCell,
  geometry,
  inputs,
  uniform,
  WINDOWS,
} from './helpers.js';

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

/** Registers the conv tests of the backend suite for `backend`. */
export function describeConv<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

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

  // With `relu`, exactly the backend's own unfused result: conv2d, then unary relu. Only for a
  // backend that fuses it (`fusesConvRelu`); for another the core composes the two.
  describe.skipIf(!backend.fusesConvRelu)('conv2d with a fused relu', () => {
    it.each(
      CONVOLUTIONS.map(
        ([g, outC]) => [`${describeGeometry(g)}, ${outC} filters`, g, outC] as const,
      ),
    )('%s', (_label, g, outC) => {
      const t = inputs(backend);
      const size = g.n * outC * g.outH * g.outW;
      const xd = t.up(uniform(g.n * g.c * g.h * g.w, 97));
      const wd = t.up(uniform(outC * g.c * g.kh * g.kw, 98));
      const bd = t.up(uniform(outC, 99));
      for (const [label, bias] of [
        ['with bias', bd],
        ['without bias', null],
      ] as const) {
        const fused = read(backend.conv2d(xd, wd, bias, g, outC, true), size);
        const unfused = backend.unary('relu', backend.conv2d(xd, wd, bias, g, outC), size);
        expectClose(`conv2d relu ${label}`, fused, read(unfused, size));
      }
      t.untouched();
    });
  });
}
