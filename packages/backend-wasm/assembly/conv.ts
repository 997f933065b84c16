// Convolution, one image at a time. Each image's columns are laid out (ch, ky, kx) × (oy, ox) in
// a per-thread scratch block small enough to stay in cache (at most a few hundred kilobytes for
// the book's networks), instead of the book's batch-sized (n, oy, ox) × (ch, ky, kx) matrix. With
// that layout the GEMM's output for one image is already [outC, OH·OW], the NCHW order, so no
// transposes are needed, and with a stride of 1 every column row is a shifted copy of an input
// row. Geometry comes as a pointer to the same struct as im2col's (geometry.ts).

import { fill } from './elementwise';
import { addInto, gemm } from './gemm';
import { geometryAt } from './geometry';
import { copyFloats } from './simd';

/** Whether the columns of an image are the image itself (1×1 filter, stride 1, no padding). */
@inline
function columnsAreImage(kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32): bool {
  return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
}

/**
 * Output rows per chunk: the chunk's columns (taps × rows·OW floats) stay within about 256 KiB,
 * so they are still in the core's L2 cache when the GEMM packs and reads them.
 */
export function convChunkRows(taps: i32, outH: i32, outW: i32): i32 {
  const rows = (65536 / max(1, taps * outW)) as i32;
  return min(outH, max(1, rows));
}

/**
 * The columns of output rows [oy0, oy1) of one image (`add` 0), or their adjoint (`add` 1: each
 * column entry is added back into the image `img`, which the caller has zeroed). Column rows are
 * (ch, ky, kx), each (oy1 − oy0)·outW long.
 */
function imageColumns(
  add: bool,
  img: usize,
  cols: usize,
  oy0: i32,
  oy1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outW: i32,
): void {
  let row = cols;
  const rowBytes = (<usize>outW) << 2;
  for (let ch = 0; ch < c; ch++) {
    const plane = img + (<usize>(ch * h * w) << 2);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        // Output columns ox whose input column ox·sw − pw + kx lies inside the image.
        let lo = 0;
        while (lo < outW && lo * sw - pw + kx < 0) lo++;
        let hi = outW;
        while (hi > lo && (hi - 1) * sw - pw + kx >= w) hi--;
        for (let oy = oy0; oy < oy1; oy++) {
          const y = oy * sh - ph + ky;
          if (y < 0 || y >= h) {
            if (!add) memory.fill(row, 0, rowBytes);
            row += rowBytes;
            continue;
          }
          const from = plane + (<usize>(y * w + lo * sw - pw + kx) << 2);
          const at = row + ((<usize>lo) << 2);
          if (add) {
            if (sw == 1) {
              addInto(from, at, hi - lo);
            } else {
              for (let ox = 0; ox < hi - lo; ox++) {
                const p = from + ((<usize>(ox * sw)) << 2);
                store<f32>(p, load<f32>(p) + load<f32>(at + ((<usize>ox) << 2)));
              }
            }
          } else {
            if (lo > 0) memory.fill(row, 0, (<usize>lo) << 2);
            if (sw == 1) {
              copyFloats(at, from, hi - lo);
            } else {
              for (let ox = 0; ox < hi - lo; ox++) {
                store<f32>(at + ((<usize>ox) << 2), load<f32>(from + ((<usize>(ox * sw)) << 2)));
              }
            }
            if (hi < outW) memory.fill(row + ((<usize>hi) << 2), 0, (<usize>(outW - hi)) << 2);
          }
          row += rowBytes;
        }
      }
    }
  }
}

/**
 * max(v, 0) over `rows` rows of `n` floats, `stride` floats apart: ReLU fused onto a chunk of a
 * convolution's output while it is still in cache, the values of the unary relu (NaN kept,
 * −0 → 0).
 */
function reluRows(p: usize, rows: i32, n: i32, stride: i32): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = p + (<usize>(r * stride) << 2);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const at = row + ((<usize>i) << 2);
      v128.store(at, f32x4.max(v128.load(at), zero));
    }
    for (; i < n; i++) {
      const at = row + ((<usize>i) << 2);
      store<f32>(at, max<f32>(load<f32>(at), 0));
    }
  }
}

/**
 * y[b] = W · columns(x[b]) (+ bias, one value per row) for images [b0, b1), then max(0, ·) with
 * `relu`: W is [outC, taps], y[b] is [outC, OH·OW]. `cols` holds taps·convChunkRows(…)·OW floats
 * for this thread. `relu` comes last, so a caller that leaves it out gets the plain convolution.
 */
export function conv2dForward(
  x: usize,
  wt: usize,
  bias: usize,
  hasBias: i32,
  y: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  cols: usize,
  scratch: usize,
  geometry: usize,
  relu: i32,
): void {
  const g = geometryAt(geometry);
  const c = g.c;
  const h = g.h;
  const w = g.w;
  const kh = g.kh;
  const kw = g.kw;
  const sh = g.strideH;
  const sw = g.strideW;
  const ph = g.padH;
  const pw = g.padW;
  const outH = g.outH;
  const outW = g.outW;
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = direct ? outH : convChunkRows(taps, outH, outW);
  for (let b = b0; b < b1; b++) {
    const image = x + (<usize>(b * c * h * w) << 2);
    const out = y + (<usize>(b * outC * plane) << 2);
    if (hasBias) {
      for (let o = 0; o < outC; o++) {
        fill(out + (<usize>(o * plane) << 2), plane, load<f32>(bias + ((<usize>o) << 2)));
      }
    }
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      if (direct) {
        gemm(wt, image + at, out + at, outC, n, taps, taps, plane, plane, 0, 0, hasBias, scratch);
      } else {
        imageColumns(false, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
        gemm(wt, cols, out + at, outC, n, taps, taps, n, plane, 0, 0, hasBias, scratch);
      }
      if (relu) reluRows(out + at, outC, n, plane);
    }
  }
}

/** dx[b] = columns-adjoint(Wᵀ · dy[b]) for images [b0, b1); dx is written whole (not added to). */
export function conv2dInputGrad(
  dy: usize,
  wt: usize,
  dx: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  cols: usize,
  scratch: usize,
  geometry: usize,
): void {
  const g = geometryAt(geometry);
  const c = g.c;
  const h = g.h;
  const w = g.w;
  const kh = g.kh;
  const kw = g.kw;
  const sh = g.strideH;
  const sw = g.strideW;
  const ph = g.padH;
  const pw = g.padW;
  const outH = g.outH;
  const outW = g.outW;
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = convChunkRows(taps, outH, outW);
  const imageBytes = (<usize>(c * h * w)) << 2;
  for (let b = b0; b < b1; b++) {
    const grad = dy + (<usize>(b * outC * plane) << 2);
    const image = dx + <usize>b * imageBytes;
    if (direct) {
      gemm(wt, grad, image, taps, plane, outC, taps, plane, plane, 1, 0, 0, scratch);
      continue;
    }
    memory.fill(image, 0, imageBytes);
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      gemm(wt, grad + at, cols, taps, n, outC, taps, plane, n, 1, 0, 0, scratch);
      imageColumns(true, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
    }
  }
}

/** dw (+)= Σ over images [b0, b1) of dy[b] · columns(x[b])ᵀ; `accumulate` 0 overwrites dw. */
export function conv2dFilterGrad(
  x: usize,
  dy: usize,
  dw: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  accumulate: i32,
  cols: usize,
  scratch: usize,
  geometry: usize,
): void {
  const g = geometryAt(geometry);
  const c = g.c;
  const h = g.h;
  const w = g.w;
  const kh = g.kh;
  const kw = g.kw;
  const sh = g.strideH;
  const sw = g.strideW;
  const ph = g.padH;
  const pw = g.padW;
  const outH = g.outH;
  const outW = g.outW;
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = direct ? outH : convChunkRows(taps, outH, outW);
  if (b0 >= b1 && !accumulate) memory.fill(dw, 0, (<usize>(outC * taps)) << 2);
  for (let b = b0; b < b1; b++) {
    const image = x + (<usize>(b * c * h * w) << 2);
    const grad = dy + (<usize>(b * outC * plane) << 2);
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      const add = accumulate != 0 || b > b0 || oy0 > 0 ? 1 : 0;
      if (direct) {
        gemm(grad + at, image + at, dw, outC, taps, n, plane, plane, taps, 0, 1, add, scratch);
      } else {
        imageColumns(false, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
        gemm(grad + at, cols, dw, outC, taps, n, plane, n, taps, 0, 1, add, scratch);
      }
    }
  }
}
