// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1 (Lavin & Gray, 2015). Each 2×2 block of
// outputs ("tile") comes from a 4×4 block of the input: V = Bᵀ·d·B and U = G·g·Gᵀ are 4×4, the
// product is 16 element-wise products summed over channels — 16 GEMMs of outC × C × tiles — and
// Y = Aᵀ·M·A gives the 2×2 outputs: 16 multiply-adds per tile and channel pair instead of 36.
// conv2dInputGrad is the same computation on dy with the filters turned by 180° and transposed.
//
// Per image, the input is first copied into a zero-padded block wide enough that every group of
// four tiles can be read without bounds checks; tiles run in rows of `tilesWp` (tilesW rounded up
// to a multiple of 4), the extra tiles are computed and dropped.

import { gemm } from './gemm';
import { geometryAt } from './geometry';
import { padPlanes } from './simd';

/** Tiles per row, rounded up to a multiple of 4 (the SIMD width of the transforms). */
@inline
function winogradTilesWp(outW: i32): i32 {
  return ((((outW + 1) >> 1) + 3) >> 2) << 2;
}

/** Rows of the zero-padded image: every tile's 4×4 block, and the image at row `pad`. */
@inline
function winogradPaddedRows(h: i32, pad: i32, outH: i32): i32 {
  return max(2 * ((outH + 1) >> 1) + 2, pad + h);
}

/** Columns of the zero-padded image: every group of four tiles' loads, and the image. */
@inline
function winogradPaddedCols(w: i32, pad: i32, outW: i32): i32 {
  return max(2 * winogradTilesWp(outW) + 2, pad + w);
}

/** Rows of tiles per chunk: the chunk's 16·(C + outC)·tiles floats stay within about 512 KiB. */
export function winogradChunkRows(c: i32, outC: i32, outH: i32, outW: i32): i32 {
  const tilesH = (outH + 1) >> 1;
  const rows = (8192 / max(1, (c + outC) * winogradTilesWp(outW))) as i32;
  return min(tilesH, max(1, rows));
}

/** Floats of per-thread scratch: the padded image, then V and M for one chunk of tile rows. */
export function winogradScratchFloats(c: i32, outC: i32, h: i32, w: i32, pad: i32, outH: i32, outW: i32): i32 {
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const tiles = winogradChunkRows(c, outC, outH, outW) * tilesWp;
  return c * hp * wp + 16 * (c + outC) * tiles;
}

/** g[r][s] of a 3×3 filter, or of the filter turned by 180° (`flip`). */
@inline
function filterTap(g: usize, flip: i32, r: i32, s: i32): f32 {
  return load<f32>(g + ((<usize>(flip ? (2 - r) * 3 + (2 - s) : r * 3 + s)) << 2));
}

/**
 * U = G·g·Gᵀ for every filter: u[ξ][o][ch] (ξ = 4·i + j) from w [outC, C, 3, 3]. With `flip`,
 * the filters for conv2dInputGrad instead: u[ξ][ch][o] from w[o][ch] turned by 180°.
 */
export function winogradFilters(wt: usize, u: usize, outC: i32, c: i32, flip: i32): void {
  const plane = <usize>(outC * c);
  for (let o = 0; o < outC; o++) {
    for (let ch = 0; ch < c; ch++) {
      const g = wt + (<usize>((o * c + ch) * 9) << 2);
      // t = G·g (4×3), then U = t·Gᵀ (4×4); G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
      const dst = u + ((<usize>(flip ? ch * outC + o : o * c + ch)) << 2);
      for (let i = 0; i < 4; i++) {
        let t0: f32, t1: f32, t2: f32;
        if (i == 0) {
          t0 = filterTap(g, flip, 0, 0);
          t1 = filterTap(g, flip, 0, 1);
          t2 = filterTap(g, flip, 0, 2);
        } else if (i == 3) {
          t0 = filterTap(g, flip, 2, 0);
          t1 = filterTap(g, flip, 2, 1);
          t2 = filterTap(g, flip, 2, 2);
        } else {
          const sign: f32 = i == 1 ? 1 : -1;
          t0 = 0.5 * (filterTap(g, flip, 0, 0) + sign * filterTap(g, flip, 1, 0) + filterTap(g, flip, 2, 0));
          t1 = 0.5 * (filterTap(g, flip, 0, 1) + sign * filterTap(g, flip, 1, 1) + filterTap(g, flip, 2, 1));
          t2 = 0.5 * (filterTap(g, flip, 0, 2) + sign * filterTap(g, flip, 1, 2) + filterTap(g, flip, 2, 2));
        }
        const row = dst + ((<usize>(4 * i) * plane) << 2);
        store<f32>(row, t0);
        store<f32>(row + (plane << 2), 0.5 * (t0 + t1 + t2));
        store<f32>(row + (2 * plane << 2), 0.5 * (t0 - t1 + t2));
        store<f32>(row + (3 * plane << 2), t2);
      }
    }
  }
}

/**
 * Output tiles for images [b0, b1): y[b] (+)= Winograd(x[b], u), plus a bias per output channel,
 * then max(0, ·) with `relu`. x[b] is [c, h, w], y[b] is [outC, outH, outW] with
 * outH = h + 2·pad − 2, all read from the `geometry` struct (pad is its padH). `work` holds winogradScratchFloats(…) floats for this thread. `relu`
 * comes last, so a caller that leaves it out gets the plain convolution.
 */
export function conv2dWinograd(
  x: usize,
  u: usize,
  bias: usize,
  hasBias: i32,
  y: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  work: usize,
  scratch: usize,
  geometry: usize,
  relu: i32,
): void {
  const g = geometryAt(geometry);
  const c = g.c;
  const h = g.h;
  const w = g.w;
  const pad = g.padH;
  const outH = g.outH;
  const outW = g.outW;
  const tilesW = (outW + 1) >> 1;
  const tilesH = (outH + 1) >> 1;
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const chunk = winogradChunkRows(c, outC, outH, outW);
  const padded = work;
  const v = padded + (<usize>(c * hp * wp) << 2);
  const m = v + (<usize>(16 * c * chunk * tilesWp) << 2);
  for (let b = b0; b < b1; b++) {
    padPlanes(padded, x + (<usize>(b * c * h * w) << 2), c, h, w, hp, wp, pad);
    const out = y + (<usize>(b * outC * outH * outW) << 2);
    for (let ty0 = 0; ty0 < tilesH; ty0 += chunk) {
      const ty1 = min(tilesH, ty0 + chunk);
      const tiles = (ty1 - ty0) * tilesWp;
      winogradInput(padded, v, c, hp, wp, ty0, ty1, tilesWp, tiles);
      for (let xi = 0; xi < 16; xi++) {
        gemm(
          u + (<usize>(xi * outC * c) << 2),
          v + (<usize>(xi * c * tiles) << 2),
          m + (<usize>(xi * outC * tiles) << 2),
          outC,
          tiles,
          c,
          c,
          tiles,
          tiles,
          0,
          0,
          0,
          scratch,
        );
      }
      winogradOutput(m, out, bias, hasBias, relu, outC, outH, outW, ty0, ty1, tilesW, tilesWp, tiles);
    }
  }
}

/** v[ξ][ch][tile] = (Bᵀ·d·B)[ξ] for tile rows [ty0, ty1), four tiles at a time. */
function winogradInput(
  padded: usize,
  v: usize,
  c: i32,
  hp: i32,
  wp: i32,
  ty0: i32,
  ty1: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(c * tiles)) << 2;
  for (let ch = 0; ch < c; ch++) {
    const plane = padded + (<usize>(ch * hp * wp) << 2);
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesWp; tx += 4) {
        // Lane l holds tile tx + l; d[r][j] = input row 2ty + r, column 2(tx + l) + j.
        let base = plane + (<usize>(2 * ty * wp + 2 * tx) << 2);
        const rowBytes = (<usize>wp) << 2;
        // Rows of Bᵀ·d: t0 = d0 − d2, t1 = d1 + d2, t2 = d2 − d1, t3 = d1 − d3, per column j.
        const a0 = v128.load(base);
        const a1 = v128.load(base, 16);
        const a2 = v128.load(base, 8);
        const a3 = v128.load(base, 24);
        base += rowBytes;
        const b0 = v128.load(base);
        const b1 = v128.load(base, 16);
        const b2 = v128.load(base, 8);
        const b3 = v128.load(base, 24);
        base += rowBytes;
        const c0 = v128.load(base);
        const c1 = v128.load(base, 16);
        const c2 = v128.load(base, 8);
        const c3 = v128.load(base, 24);
        base += rowBytes;
        const e0 = v128.load(base);
        const e1 = v128.load(base, 16);
        const e2 = v128.load(base, 8);
        const e3 = v128.load(base, 24);
        // Even and odd columns: column j of tile l is element 2l + j.
        const d00 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const d01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const d02 = v128.shuffle<f32>(a2, a3, 0, 2, 4, 6);
        const d03 = v128.shuffle<f32>(a2, a3, 1, 3, 5, 7);
        const d10 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const d11 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const d12 = v128.shuffle<f32>(b2, b3, 0, 2, 4, 6);
        const d13 = v128.shuffle<f32>(b2, b3, 1, 3, 5, 7);
        const d20 = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6);
        const d21 = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7);
        const d22 = v128.shuffle<f32>(c2, c3, 0, 2, 4, 6);
        const d23 = v128.shuffle<f32>(c2, c3, 1, 3, 5, 7);
        const d30 = v128.shuffle<f32>(e0, e1, 0, 2, 4, 6);
        const d31 = v128.shuffle<f32>(e0, e1, 1, 3, 5, 7);
        const d32 = v128.shuffle<f32>(e2, e3, 0, 2, 4, 6);
        const d33 = v128.shuffle<f32>(e2, e3, 1, 3, 5, 7);
        const at = v + (<usize>(ch * tiles + (ty - ty0) * tilesWp + tx) << 2);
        winogradInputRow(at, xiStride, 0, f32x4.sub(d00, d20), f32x4.sub(d01, d21), f32x4.sub(d02, d22), f32x4.sub(d03, d23));
        winogradInputRow(at, xiStride, 4, f32x4.add(d10, d20), f32x4.add(d11, d21), f32x4.add(d12, d22), f32x4.add(d13, d23));
        winogradInputRow(at, xiStride, 8, f32x4.sub(d20, d10), f32x4.sub(d21, d11), f32x4.sub(d22, d12), f32x4.sub(d23, d13));
        winogradInputRow(at, xiStride, 12, f32x4.sub(d10, d30), f32x4.sub(d11, d31), f32x4.sub(d12, d32), f32x4.sub(d13, d33));
      }
    }
  }
}

/** One row i of Bᵀ·d·B: (t0 − t2, t1 + t2, t2 − t1, t1 − t3) into v[ξ0 .. ξ0 + 3]. */
@inline
function winogradInputRow(at: usize, xiStride: usize, xi0: i32, t0: v128, t1: v128, t2: v128, t3: v128): void {
  const p = at + <usize>xi0 * xiStride;
  v128.store(p, f32x4.sub(t0, t2));
  v128.store(p + xiStride, f32x4.add(t1, t2));
  v128.store(p + 2 * xiStride, f32x4.sub(t2, t1));
  v128.store(p + 3 * xiStride, f32x4.sub(t1, t3));
}

/**
 * y = Aᵀ·M·A (+ bias, then max(0, ·) with `relu`) for tile rows [ty0, ty1): 2×2 outputs per
 * tile, four tiles at a time.
 */
function winogradOutput(
  m: usize,
  out: usize,
  bias: usize,
  hasBias: i32,
  relu: i32,
  outC: i32,
  outH: i32,
  outW: i32,
  ty0: i32,
  ty1: i32,
  tilesW: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(outC * tiles)) << 2;
  const zero = f32x4.splat(0);
  for (let o = 0; o < outC; o++) {
    const shift = f32x4.splat(hasBias ? load<f32>(bias + ((<usize>o) << 2)) : 0);
    const plane = out + (<usize>(o * outH * outW) << 2);
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const at = m + (<usize>(o * tiles + (ty - ty0) * tilesWp + tx) << 2);
        // Aᵀ = [1 1 1 0; 0 1 −1 −1]: first over i (rows of M), then over j.
        let s00 = v128.load(at);
        let s01 = v128.load(at + xiStride);
        let s02 = v128.load(at + 2 * xiStride);
        let s03 = v128.load(at + 3 * xiStride);
        const m10 = v128.load(at + 4 * xiStride);
        const m11 = v128.load(at + 5 * xiStride);
        const m12 = v128.load(at + 6 * xiStride);
        const m13 = v128.load(at + 7 * xiStride);
        const m20 = v128.load(at + 8 * xiStride);
        const m21 = v128.load(at + 9 * xiStride);
        const m22 = v128.load(at + 10 * xiStride);
        const m23 = v128.load(at + 11 * xiStride);
        const m30 = v128.load(at + 12 * xiStride);
        const m31 = v128.load(at + 13 * xiStride);
        const m32 = v128.load(at + 14 * xiStride);
        const m33 = v128.load(at + 15 * xiStride);
        const s10 = f32x4.sub(f32x4.sub(m10, m20), m30);
        const s11 = f32x4.sub(f32x4.sub(m11, m21), m31);
        const s12 = f32x4.sub(f32x4.sub(m12, m22), m32);
        const s13 = f32x4.sub(f32x4.sub(m13, m23), m33);
        s00 = f32x4.add(f32x4.add(s00, m10), m20);
        s01 = f32x4.add(f32x4.add(s01, m11), m21);
        s02 = f32x4.add(f32x4.add(s02, m12), m22);
        s03 = f32x4.add(f32x4.add(s03, m13), m23);
        let y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), shift);
        let y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), shift);
        let y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), shift);
        let y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), shift);
        if (relu) {
          y00 = f32x4.max(y00, zero);
          y01 = f32x4.max(y01, zero);
          y10 = f32x4.max(y10, zero);
          y11 = f32x4.max(y11, zero);
        }
        // Lane l is tile tx + l: outputs (2ty + r, 2(tx + l) + s).
        const oy = 2 * ty;
        const ox = 2 * tx;
        const row0 = plane + (<usize>(oy * outW + ox) << 2);
        const row1 = row0 + ((<usize>outW) << 2);
        const lo0 = v128.shuffle<f32>(y00, y01, 0, 4, 1, 5);
        const hi0 = v128.shuffle<f32>(y00, y01, 2, 6, 3, 7);
        const lo1 = v128.shuffle<f32>(y10, y11, 0, 4, 1, 5);
        const hi1 = v128.shuffle<f32>(y10, y11, 2, 6, 3, 7);
        const bottom = oy + 1 < outH;
        if (ox + 8 <= outW) {
          v128.store(row0, lo0);
          v128.store(row0, hi0, 16);
          if (bottom) {
            v128.store(row1, lo1);
            v128.store(row1, hi1, 16);
          }
        } else {
          // The right edge: only the columns that exist.
          const count = outW - ox;
          for (let q = 0; q < count; q++) {
            const off = (<usize>q) << 2;
            store<f32>(row0 + off, winogradLane(lo0, hi0, q));
            if (bottom) store<f32>(row1 + off, winogradLane(lo1, hi1, q));
          }
        }
      }
    }
  }
}

/** Element q (0..7) of the pair (lo, hi). */
@inline
function winogradLane(lo: v128, hi: v128, q: i32): f32 {
  switch (q) {
    case 0:
      return f32x4.extract_lane(lo, 0);
    case 1:
      return f32x4.extract_lane(lo, 1);
    case 2:
      return f32x4.extract_lane(lo, 2);
    case 3:
      return f32x4.extract_lane(lo, 3);
    case 4:
      return f32x4.extract_lane(hi, 0);
    case 5:
      return f32x4.extract_lane(hi, 1);
    case 6:
      return f32x4.extract_lane(hi, 2);
    default:
      return f32x4.extract_lane(hi, 3);
  }
}

// The weight gradient by the same transforms (F(3×3, 2×2), the transpose of F(2×2, 3×3)): for a
// tile of 2×2 output gradients E and the 4×4 input block D under it, its 3×3 contribution is
// Gᵀ·[(A·E·Aᵀ) ⊙ (Bᵀ·D·B)]·G. Summed over tiles and images, the bracket is 16 GEMMs of
// outC × tiles × C; the transform back to 3×3 happens once at the end (winogradFilterGradients).

/** Floats of per-thread scratch for conv2dWinogradFilterGrad. */
export function winogradFilterGradScratchFloats(
  c: i32,
  outC: i32,
  h: i32,
  w: i32,
  pad: i32,
  outH: i32,
  outW: i32,
): i32 {
  const tilesH = (outH + 1) >> 1;
  return (
    winogradScratchFloats(c, outC, h, w, pad, outH, outW) +
    outC * 2 * tilesH * 2 * winogradTilesWp(outW)
  );
}

/**
 * s[ξ][o][ch] (+)= Σ over images [b0, b1) and tiles of (A·E·Aᵀ)[ξ] · (Bᵀ·D·B)[ξ], where E is a 2×2
 * block of dy[b][o] and D the 4×4 block of x[b][ch] under it. `accumulate` 0 overwrites s.
 */
export function conv2dWinogradFilterGrad(
  x: usize,
  dy: usize,
  s: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  accumulate: i32,
  work: usize,
  scratch: usize,
  geometry: usize,
): void {
  const g = geometryAt(geometry);
  const c = g.c;
  const h = g.h;
  const w = g.w;
  const pad = g.padH;
  const outH = g.outH;
  const outW = g.outW;
  const tilesH = (outH + 1) >> 1;
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const chunk = winogradChunkRows(c, outC, outH, outW);
  const dyH = 2 * tilesH;
  const dyW = 2 * tilesWp;
  const padded = work;
  const v = padded + (<usize>(c * hp * wp) << 2);
  const e = v + (<usize>(16 * c * chunk * tilesWp) << 2);
  const paddedDy = e + (<usize>(16 * outC * chunk * tilesWp) << 2);
  if (b0 >= b1 && !accumulate) memory.fill(s, 0, (<usize>(16 * outC * c)) << 2);
  for (let b = b0; b < b1; b++) {
    padPlanes(padded, x + (<usize>(b * c * h * w) << 2), c, h, w, hp, wp, pad);
    // dy in whole tiles, zero beyond the last row and column.
    const grad = dy + (<usize>(b * outC * outH * outW) << 2);
    padPlanes(paddedDy, grad, outC, outH, outW, dyH, dyW, 0);
    for (let ty0 = 0; ty0 < tilesH; ty0 += chunk) {
      const ty1 = min(tilesH, ty0 + chunk);
      const tiles = (ty1 - ty0) * tilesWp;
      winogradInput(padded, v, c, hp, wp, ty0, ty1, tilesWp, tiles);
      winogradGradientTiles(paddedDy, e, outC, dyH, dyW, ty0, ty1, tilesWp, tiles);
      const add = accumulate != 0 || b > b0 || ty0 > 0 ? 1 : 0;
      for (let xi = 0; xi < 16; xi++) {
        gemm(
          e + (<usize>(xi * outC * tiles) << 2),
          v + (<usize>(xi * c * tiles) << 2),
          s + (<usize>(xi * outC * c) << 2),
          outC,
          c,
          tiles,
          tiles,
          tiles,
          c,
          0,
          1,
          add,
          scratch,
        );
      }
    }
  }
}

/** e[ξ][o][tile] = (A·E·Aᵀ)[ξ] for tile rows [ty0, ty1), four tiles at a time. */
function winogradGradientTiles(
  dy: usize,
  e: usize,
  outC: i32,
  dyH: i32,
  dyW: i32,
  ty0: i32,
  ty1: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(outC * tiles)) << 2;
  for (let o = 0; o < outC; o++) {
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesWp; tx += 4) {
        const row0 = dy + (<usize>((o * dyH + 2 * ty) * dyW + 2 * tx) << 2);
        const row1 = row0 + ((<usize>dyW) << 2);
        const a0 = v128.load(row0);
        const a1 = v128.load(row0, 16);
        const c0 = v128.load(row1);
        const c1 = v128.load(row1, 16);
        // E[i][j] for the four tiles: even and odd columns of rows 2ty and 2ty + 1.
        const e00 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const e01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const e10 = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6);
        const e11 = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7);
        // A = [1 0; 1 1; 1 −1; 0 −1]: rows (E0, E0 + E1, E0 − E1, −E1), then the same across.
        const at = e + (<usize>(o * tiles + (ty - ty0) * tilesWp + tx) << 2);
        winogradGradientRow(at, xiStride, 0, e00, e01);
        winogradGradientRow(at, xiStride, 4, f32x4.add(e00, e10), f32x4.add(e01, e11));
        winogradGradientRow(at, xiStride, 8, f32x4.sub(e00, e10), f32x4.sub(e01, e11));
        winogradGradientRow(at, xiStride, 12, f32x4.neg(e10), f32x4.neg(e11));
      }
    }
  }
}

/** One row of A·E·Aᵀ from its two columns (p, q): (p, p + q, p − q, −q) into e[ξ0 .. ξ0 + 3]. */
@inline
function winogradGradientRow(at: usize, xiStride: usize, xi0: i32, p: v128, q: v128): void {
  const to = at + <usize>xi0 * xiStride;
  v128.store(to, p);
  v128.store(to + xiStride, f32x4.add(p, q));
  v128.store(to + 2 * xiStride, f32x4.sub(p, q));
  v128.store(to + 3 * xiStride, f32x4.neg(q));
}

/** dw[o][ch] = Gᵀ·s[·][o][ch]·G: the summed 4×4 products back to 3×3 filter gradients. */
export function winogradFilterGradients(s: usize, dw: usize, outC: i32, c: i32): void {
  const plane = (<usize>(outC * c)) << 2;
  for (let k = 0; k < outC * c; k++) {
    const src = s + ((<usize>k) << 2);
    const dst = dw + ((<usize>(k * 9)) << 2);
    // Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1] on both sides: first down the columns j of S …
    for (let r = 0; r < 3; r++) {
      // … row r of Gᵀ·S is (t0, t1, t2, t3); then row r of the result is that row times G.
      const t0 = gradientColumn(src, plane, 0, r);
      const t1 = gradientColumn(src, plane, 1, r);
      const t2 = gradientColumn(src, plane, 2, r);
      const t3 = gradientColumn(src, plane, 3, r);
      const row = dst + ((<usize>(3 * r)) << 2);
      store<f32>(row, t0 + 0.5 * (t1 + t2));
      store<f32>(row, 0.5 * (t1 - t2), 4);
      store<f32>(row, 0.5 * (t1 + t2) + t3, 8);
    }
  }
}

/** (Gᵀ·S)[r][j] for the 4×4 matrix S whose element (i, j) is at src + (4i + j)·plane. */
@inline
function gradientColumn(src: usize, plane: usize, j: i32, r: i32): f32 {
  const s0 = load<f32>(src + <usize>j * plane);
  const s1 = load<f32>(src + <usize>(4 + j) * plane);
  const s2 = load<f32>(src + <usize>(8 + j) * plane);
  const s3 = load<f32>(src + <usize>(12 + j) * plane);
  if (r == 0) return s0 + 0.5 * (s1 + s2);
  if (r == 1) return 0.5 * (s1 - s2);
  return 0.5 * (s1 + s2) + s3;
}
