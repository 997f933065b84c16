// Winograd F(4×4, 3×3) for 3×3 convolutions with stride 1 (Lavin & Gray, 2015), points 0, ±1,
// ±2, ∞. Each 4×4 block of outputs ("tile") comes from a 6×6 block of the input: V = Bᵀ·d·B and
// U = G·g·Gᵀ are 6×6, the product is 36 element-wise products summed over channels — 36 GEMMs of
// outC × C × tiles — and Y = Aᵀ·M·A gives the 4×4 outputs: 2.25 multiply-adds per output and
// channel pair, against 4 for F(2×2, 3×3) (winograd.ts) and 9 for the definition.
//
//   Bᵀ = [4  0 −5  0 1 0]   G = [ 1/4    0    0 ]   Aᵀ = [1 1  1 1  1 0]
//        [0 −4 −4  1 1 0]       [−1/6 −1/6 −1/6]        [0 1 −1 2 −2 0]
//        [0  4 −4 −1 1 0]       [−1/6  1/6 −1/6]        [0 1  1 4  4 0]
//        [0 −2 −1  2 1 0]       [1/24 1/12  1/6]        [0 1 −1 8 −8 1]
//        [0  2 −1 −2 1 0]       [1/24 −1/12 1/6]
//        [0  4  0 −5 0 1]       [  0    0    1 ]
//
// Tiles are numbered through all images of a chunk (image, tile row, tile column), not in rows
// rounded up to the SIMD width: four consecutive tiles — possibly of different rows or images —
// are transformed together, lane l holding tile t + l, each read at its own address. Small images
// (8×8 is 2×2 tiles) thus fill the lanes and the GEMMs' columns, several images per chunk. A
// chunk's images are first copied into zero-padded blocks (the right and bottom edge tiles read
// zeros, outputs past the image are dropped); the last group of a chunk repeats its last tile in
// the unused lanes.

import { gemm } from './gemm';
import { geometryAt } from './geometry';
import { padPlanes } from './simd';

/** Floats of V and M (or E) for one chunk of tiles: 512 KiB, as winograd.ts's chunks. */
const CHUNK_FLOATS: i32 = 131072;

/** Tiles per chunk at most: 36·(C + outC)·tiles floats within CHUNK_FLOATS, a multiple of 4. */
@inline
function chunkCap(c: i32, outC: i32): i32 {
  return max(4, (CHUNK_FLOATS / (36 * max(1, c + outC))) & ~3);
}

/** Images per chunk: as many whole images as fit, at least one (then split into chunks of tiles). */
@inline
function chunkImages(c: i32, outC: i32, perImage: i32): i32 {
  return max(1, chunkCap(c, outC) / max(1, perImage));
}

/** Tiles per chunk, rounded up to a multiple of 4. */
@inline
function chunkTiles(c: i32, outC: i32, perImage: i32): i32 {
  const tiles = min(chunkCap(c, outC), chunkImages(c, outC, perImage) * perImage);
  return (tiles + 3) & ~3;
}

/**
 * Floats from one of the 36 planes of V, M or E ([rows, tiles] each) to the next: one cache line
 * more than the plane, so that the transforms' 36 accesses a plane apart do not fall into the same
 * few cache sets when rows·tiles is a multiple of a large power of two.
 */
@inline
function planeFloats(rows: i32, tiles: i32): i32 {
  return rows * tiles + 16;
}

/** Floats from one plane of U (or of the weight gradient's sums) to the next: see planeFloats. */
@inline
function filterPlane(outC: i32, c: i32): i32 {
  return outC * c + 16;
}

/**
 * Floats of U for winograd4Filters and of the sums s of conv2dWinograd4FilterGrad: 36 planes of
 * outC × C, one cache line apart.
 */
export function winograd4FilterFloats(outC: i32, c: i32): i32 {
  return 36 * filterPlane(outC, c);
}

/** Rows of a zero-padded image: every tile's 6 rows, and the image at row `pad`. */
@inline
function paddedRows(h: i32, pad: i32, outH: i32): i32 {
  return max(4 * ((outH + 3) >> 2) + 2, pad + h);
}

/** Columns of a zero-padded image: every tile's two 4-float loads per row, and the image. */
@inline
function paddedCols(w: i32, pad: i32, outW: i32): i32 {
  return max(4 * ((outW + 3) >> 2) + 4, pad + w);
}

/** Floats of the transforms' staging area (36 vectors). */
const STAGING_FLOATS: i32 = 144;

/** Floats of per-thread scratch for conv2dWinograd4: padded images, V, M, staging. */
export function winograd4ScratchFloats(c: i32, outC: i32, h: i32, w: i32, pad: i32, outH: i32, outW: i32): i32 {
  const perImage = ((outH + 3) >> 2) * ((outW + 3) >> 2);
  const images = chunkImages(c, outC, perImage);
  return (
    images * c * paddedRows(h, pad, outH) * paddedCols(w, pad, outW) +
    36 * (planeFloats(c, chunkTiles(c, outC, perImage)) + planeFloats(outC, chunkTiles(c, outC, perImage))) +
    STAGING_FLOATS
  );
}

/** Floats of per-thread scratch for conv2dWinograd4FilterGrad: the above, and dy in whole tiles. */
export function winograd4FilterGradScratchFloats(
  c: i32,
  outC: i32,
  h: i32,
  w: i32,
  pad: i32,
  outH: i32,
  outW: i32,
): i32 {
  const tilesH = (outH + 3) >> 2;
  const tilesW = (outW + 3) >> 2;
  const images = chunkImages(c, outC, tilesH * tilesW);
  return winograd4ScratchFloats(c, outC, h, w, pad, outH, outW) + images * outC * 16 * tilesH * tilesW;
}


/** g[r][s] of a 3×3 filter, or of the filter turned by 180° (`flip`), in float64. */
@inline
function tap(g: usize, flip: i32, r: i32, s: i32): f64 {
  return <f64>load<f32>(g + ((<usize>(flip ? (2 - r) * 3 + (2 - s) : r * 3 + s)) << 2));
}

const SIXTH: f64 = 1.0 / 6.0;
const TWELFTH: f64 = 1.0 / 12.0;
const TWENTYFOURTH: f64 = 1.0 / 24.0;

/** Row i of G applied to (a, b, c): the 6 points' values of the polynomial a + b·x + c·x². */
@inline
function gRow(i: i32, a: f64, b: f64, c: f64): f64 {
  switch (i) {
    case 0:
      return a * 0.25;
    case 1:
      return (a + b + c) * -SIXTH;
    case 2:
      return (a - b + c) * -SIXTH;
    case 3:
      return (a + 2 * b + 4 * c) * TWENTYFOURTH;
    case 4:
      return (a - 2 * b + 4 * c) * TWENTYFOURTH;
    default:
      return c;
  }
}

/**
 * U = G·g·Gᵀ for every filter (in float64, rounded once): u[ξ][o][ch] (ξ = 6·i + j; u holds
 * winograd4FilterFloats(outC, c) floats) from w [outC, C, 3, 3]. With `flip`, the filters for
 * conv2dInputGrad instead: u[ξ][ch][o] from w[o][ch] turned by 180°.
 */
export function winograd4Filters(wt: usize, u: usize, outC: i32, c: i32, flip: i32): void {
  const plane = <usize>filterPlane(outC, c);
  for (let o = 0; o < outC; o++) {
    for (let ch = 0; ch < c; ch++) {
      const g = wt + (<usize>((o * c + ch) * 9) << 2);
      const dst = u + ((<usize>(flip ? ch * outC + o : o * c + ch)) << 2);
      // G·g (6×3), one column s at a time, then each row i of it times Gᵀ.
      const g00 = tap(g, flip, 0, 0);
      const g10 = tap(g, flip, 1, 0);
      const g20 = tap(g, flip, 2, 0);
      const g01 = tap(g, flip, 0, 1);
      const g11 = tap(g, flip, 1, 1);
      const g21 = tap(g, flip, 2, 1);
      const g02 = tap(g, flip, 0, 2);
      const g12 = tap(g, flip, 1, 2);
      const g22 = tap(g, flip, 2, 2);
      const rowBytes: usize = (6 * plane) << 2;
      filterRow(dst, plane, gRow(0, g00, g10, g20), gRow(0, g01, g11, g21), gRow(0, g02, g12, g22));
      filterRow(dst + rowBytes, plane, gRow(1, g00, g10, g20), gRow(1, g01, g11, g21), gRow(1, g02, g12, g22));
      filterRow(dst + 2 * rowBytes, plane, gRow(2, g00, g10, g20), gRow(2, g01, g11, g21), gRow(2, g02, g12, g22));
      filterRow(dst + 3 * rowBytes, plane, gRow(3, g00, g10, g20), gRow(3, g01, g11, g21), gRow(3, g02, g12, g22));
      filterRow(dst + 4 * rowBytes, plane, gRow(4, g00, g10, g20), gRow(4, g01, g11, g21), gRow(4, g02, g12, g22));
      filterRow(dst + 5 * rowBytes, plane, gRow(5, g00, g10, g20), gRow(5, g01, g11, g21), gRow(5, g02, g12, g22));
    }
  }
}

/** One row of U: the row (t0, t1, t2) of G·g times Gᵀ, six floats `plane` floats apart. */
@inline
function filterRow(p: usize, plane: usize, t0: f64, t1: f64, t2: f64): void {
  const step = plane << 2;
  store<f32>(p, <f32>gRow(0, t0, t1, t2));
  store<f32>(p + step, <f32>gRow(1, t0, t1, t2));
  store<f32>(p + 2 * step, <f32>gRow(2, t0, t1, t2));
  store<f32>(p + 3 * step, <f32>gRow(3, t0, t1, t2));
  store<f32>(p + 4 * step, <f32>gRow(4, t0, t1, t2));
  store<f32>(p + 5 * step, <f32>gRow(5, t0, t1, t2));
}

/**
 * Bᵀ applied to six vectors (d0 … d5), the six results stored `step` bytes apart from `p`:
 * 4d0 − 5d2 + d4, (d3 + d4) − 4(d1 + d2), (d4 − d3) + 4(d1 − d2), (d4 − d2) ± 2(d3 − d1),
 * 4d1 − 5d3 + d5.
 */
@inline
function inputTransform(p: usize, step: usize, d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): void {
  const four = f32x4.splat(4);
  const five = f32x4.splat(5);
  v128.store(p, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  v128.store(p + step, f32x4.sub(f32x4.add(d3, d4), f32x4.mul(four, f32x4.add(d1, d2))));
  v128.store(p + 2 * step, f32x4.add(f32x4.sub(d4, d3), f32x4.mul(four, f32x4.sub(d1, d2))));
  const even = f32x4.sub(d4, d2);
  const odd = f32x4.add(f32x4.sub(d3, d1), f32x4.sub(d3, d1));
  v128.store(p + 3 * step, f32x4.add(even, odd));
  v128.store(p + 4 * step, f32x4.sub(even, odd));
  v128.store(p + 5 * step, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

/** Byte offset, within a chunk's padded images, of tile `t`'s top-left corner. */
@inline
function tileOffset(t: i32, perImage: i32, tilesW: i32, planes: i32, hp: i32, wp: i32): usize {
  const image = t / perImage;
  const k = t - image * perImage;
  const ty = k / tilesW;
  const tx = k - ty * tilesW;
  return (<usize>((image * planes * hp + 4 * ty) * wp + 4 * tx)) << 2;
}

/**
 * v[ξ][ch][k] = (Bᵀ·d·B)[ξ] for tiles t0 + k, k < tiles (tiles past `count` repeat the last one),
 * four tiles at a time: d is the 6×6 block of padded channel ch under the tile.
 */
function input4(
  padded: usize,
  v: usize,
  staging: usize,
  c: i32,
  hp: i32,
  wp: i32,
  perImage: i32,
  tilesW: i32,
  t0: i32,
  count: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>planeFloats(c, tiles)) << 2;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowBytes = (<usize>wp) << 2;
  const last = count - 1;
  for (let k = 0; k < tiles; k += 4) {
    const o0 = tileOffset(t0 + min(k, last), perImage, tilesW, c, hp, wp);
    const o1 = tileOffset(t0 + min(k + 1, last), perImage, tilesW, c, hp, wp);
    const o2 = tileOffset(t0 + min(k + 2, last), perImage, tilesW, c, hp, wp);
    const o3 = tileOffset(t0 + min(k + 3, last), perImage, tilesW, c, hp, wp);
    for (let ch = 0; ch < c; ch++) {
      // First d·B, row by row: row r's six columns (lane l from tile k + l), Bᵀ across them.
      let row = padded + <usize>ch * planeBytes;
      for (let r = 0; r < 6; r++) {
        const a0 = v128.load(row + o0);
        const a1 = v128.load(row + o1);
        const a2 = v128.load(row + o2);
        const a3 = v128.load(row + o3);
        const b0 = v128.load(row + o0, 16);
        const b1 = v128.load(row + o1, 16);
        const b2 = v128.load(row + o2, 16);
        const b3 = v128.load(row + o3, 16);
        const p0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
        const p1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
        const p2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
        const p3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
        const q0 = v128.shuffle<f32>(b0, b1, 0, 4, 1, 5);
        const q1 = v128.shuffle<f32>(b2, b3, 0, 4, 1, 5);
        inputTransform(
          staging + ((<usize>(6 * r)) << 4),
          16,
          v128.shuffle<f32>(p0, p1, 0, 1, 4, 5),
          v128.shuffle<f32>(p0, p1, 2, 3, 6, 7),
          v128.shuffle<f32>(p2, p3, 0, 1, 4, 5),
          v128.shuffle<f32>(p2, p3, 2, 3, 6, 7),
          v128.shuffle<f32>(q0, q1, 0, 1, 4, 5),
          v128.shuffle<f32>(q0, q1, 2, 3, 6, 7),
        );
        row += rowBytes;
      }
      // Then Bᵀ down each column j of d·B: V[i][j] into v[6i + j].
      const at = v + ((<usize>(ch * tiles + k)) << 2);
      for (let j = 0; j < 6; j++) {
        const s = staging + ((<usize>j) << 4);
        inputTransform(
          at + <usize>j * xiStride,
          6 * xiStride,
          v128.load(s),
          v128.load(s, 96),
          v128.load(s, 192),
          v128.load(s, 288),
          v128.load(s, 384),
          v128.load(s, 480),
        );
      }
    }
  }
}

/**
 * Aᵀ applied to six vectors, the four results stored `step` bytes apart from `p`:
 * m0 + (m1 + m2) + (m3 + m4), (m1 − m2) + 2(m3 − m4), (m1 + m2) + 4(m3 + m4),
 * (m1 − m2) + 8(m3 − m4) + m5.
 */
@inline
function outputTransform(p: usize, step: usize, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): void {
  const sum12 = f32x4.add(m1, m2);
  const sum34 = f32x4.add(m3, m4);
  const dif12 = f32x4.sub(m1, m2);
  const dif34 = f32x4.sub(m3, m4);
  v128.store(p, f32x4.add(f32x4.add(m0, sum12), sum34));
  v128.store(p + step, f32x4.add(dif12, f32x4.mul(f32x4.splat(2), dif34)));
  v128.store(p + 2 * step, f32x4.add(sum12, f32x4.mul(f32x4.splat(4), sum34)));
  v128.store(p + 3 * step, f32x4.add(f32x4.add(dif12, f32x4.mul(f32x4.splat(8), dif34)), m5));
}

/** Output row `row` of one tile: 4 floats, or the first `cols` where the image ends. */
@inline
function storeTileRow(p: usize, row: v128, cols: i32): void {
  if (cols >= 4) {
    v128.store(p, row);
  } else if (cols == 2) {
    v128.store64_lane(p, row, 0);
  } else if (cols == 3) {
    v128.store64_lane(p, row, 0);
    v128.store32_lane(p, row, 2, 8);
  } else {
    v128.store32_lane(p, row, 0);
  }
}

/**
 * y = Aᵀ·M·A (+ bias, then max(0, ·) with `relu`) for tiles t0 + k, k < count, four at a time:
 * the 4×4 outputs of each, cropped to the image. `out` is the chunk's first image of y.
 */
function output4(
  m: usize,
  staging: usize,
  out: usize,
  bias: usize,
  hasBias: i32,
  relu: i32,
  outC: i32,
  outH: i32,
  outW: i32,
  perImage: i32,
  tilesW: i32,
  t0: i32,
  count: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>planeFloats(outC, tiles)) << 2;
  const planeBytes = (<usize>(outH * outW)) << 2;
  const rowBytes = (<usize>outW) << 2;
  const zero = f32x4.splat(0);
  const two = f32x4.splat(2);
  const four = f32x4.splat(4);
  const eight = f32x4.splat(8);
  for (let k = 0; k < count; k += 4) {
    // Per lane: the tile's first output, its rows and columns inside the image (0 rows: unused).
    let dst0: usize = 0,
      dst1: usize = 0,
      dst2: usize = 0,
      dst3: usize = 0;
    let rows0 = 0,
      rows1 = 0,
      rows2 = 0,
      rows3 = 0;
    let cols0 = 0,
      cols1 = 0,
      cols2 = 0,
      cols3 = 0;
    for (let l = 0; l < 4; l++) {
      if (k + l >= count) break;
      const t = t0 + k + l;
      const image = t / perImage;
      const q = t - image * perImage;
      const ty = q / tilesW;
      const tx = q - ty * tilesW;
      const dst = (<usize>((image * outC * outH + 4 * ty) * outW + 4 * tx)) << 2;
      const rows = min(4, outH - 4 * ty);
      const cols = min(4, outW - 4 * tx);
      if (l == 0) {
        dst0 = dst;
        rows0 = rows;
        cols0 = cols;
      } else if (l == 1) {
        dst1 = dst;
        rows1 = rows;
        cols1 = cols;
      } else if (l == 2) {
        dst2 = dst;
        rows2 = rows;
        cols2 = cols;
      } else {
        dst3 = dst;
        rows3 = rows;
        cols3 = cols;
      }
    }
    for (let o = 0; o < outC; o++) {
      const shift = f32x4.splat(hasBias ? load<f32>(bias + ((<usize>o) << 2)) : 0);
      // First Aᵀ down each column j of M: (Aᵀ·M)[r][j] into staging[6r + j].
      const at = m + ((<usize>(o * tiles + k)) << 2);
      for (let j = 0; j < 6; j++) {
        const s = at + <usize>j * xiStride;
        const step: usize = 6 * xiStride;
        outputTransform(
          staging + ((<usize>j) << 4),
          96,
          v128.load(s),
          v128.load(s + step),
          v128.load(s + 2 * step),
          v128.load(s + 3 * step),
          v128.load(s + 4 * step),
          v128.load(s + 5 * step),
        );
      }
      // Then Aᵀ across each row r (the four lanes' outputs (r, 0 … 3)), transposed to rows.
      const plane = out + <usize>o * planeBytes;
      for (let r = 0; r < 4; r++) {
        const s = staging + ((<usize>(6 * r)) << 4);
        const z0 = v128.load(s);
        const sum12 = f32x4.add(v128.load(s, 16), v128.load(s, 32));
        const dif12 = f32x4.sub(v128.load(s, 16), v128.load(s, 32));
        const sum34 = f32x4.add(v128.load(s, 48), v128.load(s, 64));
        const dif34 = f32x4.sub(v128.load(s, 48), v128.load(s, 64));
        let y0 = f32x4.add(f32x4.add(f32x4.add(z0, sum12), sum34), shift);
        let y1 = f32x4.add(f32x4.add(dif12, f32x4.mul(two, dif34)), shift);
        let y2 = f32x4.add(f32x4.add(sum12, f32x4.mul(four, sum34)), shift);
        let y3 = f32x4.add(f32x4.add(f32x4.add(dif12, f32x4.mul(eight, dif34)), v128.load(s, 80)), shift);
        if (relu) {
          y0 = f32x4.max(y0, zero);
          y1 = f32x4.max(y1, zero);
          y2 = f32x4.max(y2, zero);
          y3 = f32x4.max(y3, zero);
        }
        const p0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5);
        const p1 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
        const p2 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7);
        const p3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
        const rowOff = <usize>r * rowBytes;
        if (r < rows0) storeTileRow(plane + dst0 + rowOff, v128.shuffle<f32>(p0, p1, 0, 1, 4, 5), cols0);
        if (r < rows1) storeTileRow(plane + dst1 + rowOff, v128.shuffle<f32>(p0, p1, 2, 3, 6, 7), cols1);
        if (r < rows2) storeTileRow(plane + dst2 + rowOff, v128.shuffle<f32>(p2, p3, 0, 1, 4, 5), cols2);
        if (r < rows3) storeTileRow(plane + dst3 + rowOff, v128.shuffle<f32>(p2, p3, 2, 3, 6, 7), cols3);
      }
    }
  }
}

/**
 * y[b] = Winograd F(4×4)(x[b], u) (+ bias per output channel, then max(0, ·) with `relu`) for
 * images [b0, b1). x[b] is [c, h, w], y[b] is [outC, outH, outW] with outH = h + 2·pad − 2
 * (from the `geometry` struct); u
 * from winograd4Filters. `work` holds winograd4ScratchFloats(…) floats for this thread. The
 * arguments are conv2dWinograd's (`relu` last, as there).
 */
export function conv2dWinograd4(
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
  const tilesW = (outW + 3) >> 2;
  const perImage = ((outH + 3) >> 2) * tilesW;
  const hp = paddedRows(h, pad, outH);
  const wp = paddedCols(w, pad, outW);
  const images = chunkImages(c, outC, perImage);
  const chunk = chunkTiles(c, outC, perImage);
  const padded = work;
  const v = padded + (<usize>(images * c * hp * wp) << 2);
  const m = v + (<usize>(36 * planeFloats(c, chunk)) << 2);
  const staging = m + (<usize>(36 * planeFloats(outC, chunk)) << 2);
  for (let bi = b0; bi < b1; bi += images) {
    const bj = min(b1, bi + images);
    padPlanes(padded, x + (<usize>(bi * c * h * w) << 2), (bj - bi) * c, h, w, hp, wp, pad);
    const out = y + (<usize>(bi * outC * outH * outW) << 2);
    const total = (bj - bi) * perImage;
    for (let t0 = 0; t0 < total; t0 += chunk) {
      const count = min(chunk, total - t0);
      const tiles = (count + 3) & ~3;
      input4(padded, v, staging, c, hp, wp, perImage, tilesW, t0, count, tiles);
      for (let xi = 0; xi < 36; xi++) {
        gemm(
          u + (<usize>(xi * filterPlane(outC, c)) << 2),
          v + (<usize>(xi * planeFloats(c, tiles)) << 2),
          m + (<usize>(xi * planeFloats(outC, tiles)) << 2),
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
      output4(m, staging, out, bias, hasBias, relu, outC, outH, outW, perImage, tilesW, t0, count, tiles);
    }
  }
}

// The weight gradient by the same transforms (the transpose of F(4×4, 3×3)): for a tile of 4×4
// output gradients E and the 6×6 input block D under it, its 3×3 contribution is
// Gᵀ·[(A·E·Aᵀ) ⊙ (Bᵀ·D·B)]·G. Summed over tiles and images, the bracket is 36 GEMMs of
// outC × tiles × C (depth: the tiles); the transform back to 3×3 happens once at the end
// (winograd4FilterGradients).

/**
 * A applied to four vectors (A = Aᵀ's transpose, 6×4), the six results stored `step` bytes apart:
 * e0, (e0 + e2) ± (e1 + e3), (e0 + 4e2) ± 2(e1 + 4e3), e3.
 */
@inline
function gradientTransform(p: usize, step: usize, e0: v128, e1: v128, e2: v128, e3: v128): void {
  const four = f32x4.splat(4);
  const even = f32x4.add(e0, e2);
  const odd = f32x4.add(e1, e3);
  const even4 = f32x4.add(e0, f32x4.mul(four, e2));
  const odd4 = f32x4.add(e1, f32x4.mul(four, e3));
  const odd8 = f32x4.add(odd4, odd4);
  v128.store(p, e0);
  v128.store(p + step, f32x4.add(even, odd));
  v128.store(p + 2 * step, f32x4.sub(even, odd));
  v128.store(p + 3 * step, f32x4.add(even4, odd8));
  v128.store(p + 4 * step, f32x4.sub(even4, odd8));
  v128.store(p + 5 * step, e3);
}

/**
 * e[ξ][o][k] = (A·E·Aᵀ)[ξ] for tiles t0 + k, k < tiles, four at a time: E is the 4×4 block of
 * dy[o] (in whole tiles, dyH × dyW per plane) of tile t0 + k, zero for k ≥ count.
 */
function gradient4(
  dy: usize,
  e: usize,
  staging: usize,
  outC: i32,
  dyH: i32,
  dyW: i32,
  perImage: i32,
  tilesW: i32,
  t0: i32,
  count: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>planeFloats(outC, tiles)) << 2;
  const planeBytes = (<usize>(dyH * dyW)) << 2;
  const rowBytes = (<usize>dyW) << 2;
  const last = count - 1;
  const ones = i32x4.splat(-1);
  const none = i32x4.splat(0);
  for (let k = 0; k < tiles; k += 4) {
    const o0 = tileOffset(t0 + min(k, last), perImage, tilesW, outC, dyH, dyW);
    const o1 = tileOffset(t0 + min(k + 1, last), perImage, tilesW, outC, dyH, dyW);
    const o2 = tileOffset(t0 + min(k + 2, last), perImage, tilesW, outC, dyH, dyW);
    const o3 = tileOffset(t0 + min(k + 3, last), perImage, tilesW, outC, dyH, dyW);
    // Lanes past the chunk's tiles read zeros.
    const k1 = k + 1 < count ? ones : none;
    const k2 = k + 2 < count ? ones : none;
    const k3 = k + 3 < count ? ones : none;
    for (let o = 0; o < outC; o++) {
      let row = dy + <usize>o * planeBytes;
      // First E·Aᵀ, row by row: row r's four columns (lane l from tile k + l), A across them.
      for (let r = 0; r < 4; r++) {
        const a0 = v128.load(row + o0);
        const a1 = v128.and(v128.load(row + o1), k1);
        const a2 = v128.and(v128.load(row + o2), k2);
        const a3 = v128.and(v128.load(row + o3), k3);
        const p0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
        const p1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
        const p2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
        const p3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
        gradientTransform(
          staging + ((<usize>(6 * r)) << 4),
          16,
          v128.shuffle<f32>(p0, p1, 0, 1, 4, 5),
          v128.shuffle<f32>(p0, p1, 2, 3, 6, 7),
          v128.shuffle<f32>(p2, p3, 0, 1, 4, 5),
          v128.shuffle<f32>(p2, p3, 2, 3, 6, 7),
        );
        row += rowBytes;
      }
      // Then A down each column j: (A·E·Aᵀ)[i][j] into e[6i + j].
      const at = e + ((<usize>(o * tiles + k)) << 2);
      for (let j = 0; j < 6; j++) {
        const s = staging + ((<usize>j) << 4);
        gradientTransform(
          at + <usize>j * xiStride,
          6 * xiStride,
          v128.load(s),
          v128.load(s, 96),
          v128.load(s, 192),
          v128.load(s, 288),
        );
      }
    }
  }
}

/**
 * s[ξ][o][ch] (+)= Σ over images [b0, b1) and tiles of (A·E·Aᵀ)[ξ] · (Bᵀ·D·B)[ξ], where E is a 4×4
 * block of dy[b][o] and D the 6×6 block of x[b][ch] under it (s: winograd4FilterFloats(outC, c)
 * floats). `accumulate` 0 overwrites s.
 * `work` holds winograd4FilterGradScratchFloats(…) floats for this thread.
 */
export function conv2dWinograd4FilterGrad(
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
  const tilesH = (outH + 3) >> 2;
  const tilesW = (outW + 3) >> 2;
  const perImage = tilesH * tilesW;
  const hp = paddedRows(h, pad, outH);
  const wp = paddedCols(w, pad, outW);
  const dyH = 4 * tilesH;
  const dyW = 4 * tilesW;
  const images = chunkImages(c, outC, perImage);
  const chunk = chunkTiles(c, outC, perImage);
  const padded = work;
  const v = padded + (<usize>(images * c * hp * wp) << 2);
  const e = v + (<usize>(36 * planeFloats(c, chunk)) << 2);
  const staging = e + (<usize>(36 * planeFloats(outC, chunk)) << 2);
  const paddedDy = staging + (<usize>STAGING_FLOATS << 2);
  if (b0 >= b1 && !accumulate) memory.fill(s, 0, (<usize>winograd4FilterFloats(outC, c)) << 2);
  for (let bi = b0; bi < b1; bi += images) {
    const bj = min(b1, bi + images);
    padPlanes(padded, x + (<usize>(bi * c * h * w) << 2), (bj - bi) * c, h, w, hp, wp, pad);
    const grad = dy + (<usize>(bi * outC * outH * outW) << 2);
    padPlanes(paddedDy, grad, (bj - bi) * outC, outH, outW, dyH, dyW, 0);
    const total = (bj - bi) * perImage;
    for (let t0 = 0; t0 < total; t0 += chunk) {
      const count = min(chunk, total - t0);
      const tiles = (count + 3) & ~3;
      input4(padded, v, staging, c, hp, wp, perImage, tilesW, t0, count, tiles);
      gradient4(paddedDy, e, staging, outC, dyH, dyW, perImage, tilesW, t0, count, tiles);
      const add = accumulate != 0 || bi > b0 || t0 > 0 ? 1 : 0;
      for (let xi = 0; xi < 36; xi++) {
        gemm(
          e + (<usize>(xi * planeFloats(outC, tiles)) << 2),
          v + (<usize>(xi * planeFloats(c, tiles)) << 2),
          s + (<usize>(xi * filterPlane(outC, c)) << 2),
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

/** Row r of Gᵀ applied to six values (Gᵀ is G's transpose, 3×6). */
@inline
function gtRow(r: i32, s0: f64, s1: f64, s2: f64, s3: f64, s4: f64, s5: f64): f64 {
  if (r == 0) return s0 * 0.25 - (s1 + s2) * SIXTH + (s3 + s4) * TWENTYFOURTH;
  if (r == 1) return (s2 - s1) * SIXTH + (s3 - s4) * TWELFTH;
  return (s3 + s4 - s1 - s2) * SIXTH + s5;
}

/** dw[o][ch] = Gᵀ·s[·][o][ch]·G (in float64): the summed 6×6 products back to 3×3 filter gradients. */
export function winograd4FilterGradients(s: usize, dw: usize, outC: i32, c: i32): void {
  const plane = (<usize>filterPlane(outC, c)) << 2;
  for (let k = 0; k < outC * c; k++) {
    const src = s + ((<usize>k) << 2);
    const dst = dw + ((<usize>(k * 9)) << 2);
    // Row r of Gᵀ·S (six columns j), then each row times G.
    const t00 = gtColumn(src, plane, 0, 0);
    const t01 = gtColumn(src, plane, 0, 1);
    const t02 = gtColumn(src, plane, 0, 2);
    const t03 = gtColumn(src, plane, 0, 3);
    const t04 = gtColumn(src, plane, 0, 4);
    const t05 = gtColumn(src, plane, 0, 5);
    const t10 = gtColumn(src, plane, 1, 0);
    const t11 = gtColumn(src, plane, 1, 1);
    const t12 = gtColumn(src, plane, 1, 2);
    const t13 = gtColumn(src, plane, 1, 3);
    const t14 = gtColumn(src, plane, 1, 4);
    const t15 = gtColumn(src, plane, 1, 5);
    const t20 = gtColumn(src, plane, 2, 0);
    const t21 = gtColumn(src, plane, 2, 1);
    const t22 = gtColumn(src, plane, 2, 2);
    const t23 = gtColumn(src, plane, 2, 3);
    const t24 = gtColumn(src, plane, 2, 4);
    const t25 = gtColumn(src, plane, 2, 5);
    store<f32>(dst, <f32>gtRow(0, t00, t01, t02, t03, t04, t05), 0);
    store<f32>(dst, <f32>gtRow(1, t00, t01, t02, t03, t04, t05), 4);
    store<f32>(dst, <f32>gtRow(2, t00, t01, t02, t03, t04, t05), 8);
    store<f32>(dst, <f32>gtRow(0, t10, t11, t12, t13, t14, t15), 12);
    store<f32>(dst, <f32>gtRow(1, t10, t11, t12, t13, t14, t15), 16);
    store<f32>(dst, <f32>gtRow(2, t10, t11, t12, t13, t14, t15), 20);
    store<f32>(dst, <f32>gtRow(0, t20, t21, t22, t23, t24, t25), 24);
    store<f32>(dst, <f32>gtRow(1, t20, t21, t22, t23, t24, t25), 28);
    store<f32>(dst, <f32>gtRow(2, t20, t21, t22, t23, t24, t25), 32);
  }
}

/** (Gᵀ·S)[r][j] for the 6×6 matrix S whose element (i, j) is at src + (6i + j)·plane bytes. */
@inline
function gtColumn(src: usize, plane: usize, r: i32, j: i32): f64 {
  const col = src + <usize>j * plane;
  return gtRow(
    r,
    <f64>load<f32>(col),
    <f64>load<f32>(col + 6 * plane),
    <f64>load<f32>(col + 12 * plane),
    <f64>load<f32>(col + 18 * plane),
    <f64>load<f32>(col + 24 * plane),
    <f64>load<f32>(col + 30 * plane),
  );
}
