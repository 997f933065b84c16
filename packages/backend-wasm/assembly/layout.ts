// Layout: strided copies (gather, pad, concat).

import { fill } from './elementwise';
import { storeTransposed4x4 } from './simd';

/**
 * Copies an array of `rank` axes from src to dst; `dims` holds i32 triples per axis (size,
 * source stride, destination stride), in elements. Covers permute, broadcast, slices, and
 * placing a block inside a larger array.
 */
export function stridedCopy(src: usize, dst: usize, rank: i32, dims: usize): void {
  if (rank == 0) {
    store<f32>(dst, load<f32>(src));
    return;
  }
  const last = dims + <usize>(rank - 1) * 12;
  const inner = load<i32>(last);
  const is = load<i32>(last, 4);
  const id = load<i32>(last, 8);
  if (rank >= 2 && id == 1 && is != 1) {
    const prev = last - 12;
    if (load<i32>(prev, 4) == 1 && load<i32>(prev) >= 4 && inner >= 4) {
      // The last two axes are a transpose (permute's NHWC ↔ NCHW): copy in 4×4 blocks.
      stridedTranspose(src, dst, rank, dims);
      return;
    }
  }
  let rows: i64 = 1;
  for (let d = 0; d < rank - 1; d++) rows *= load<i32>(dims + <usize>d * 12);
  if (rows == 0 || inner == 0) return;
  const index = dims + <usize>rank * 12;
  for (let d = 0; d < rank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  let offS: i64 = 0;
  let offD: i64 = 0;
  for (let r: i64 = 0; r < rows; r++) {
    const s = src + (<usize>offS << 2);
    const t = dst + (<usize>offD << 2);
    if (is == 1 && id == 1) {
      memory.copy(t, s, (<usize>inner) << 2);
    } else if (is == 0 && id == 1) {
      fill(t, inner, load<f32>(s));
    } else {
      const ss = (<usize>is) << 2;
      const sd = (<usize>id) << 2;
      let ps = s;
      let pd = t;
      for (let j = 0; j < inner; j++) {
        store<f32>(pd, load<f32>(ps));
        ps += ss;
        pd += sd;
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims + <usize>d * 12;
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const ss = <i64>load<i32>(dim, 4);
      const sd = <i64>load<i32>(dim, 8);
      offS += ss;
      offD += sd;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      const extent = <i64>load<i32>(dim);
      offS -= ss * extent;
      offD -= sd * extent;
      store<i32>(at, 0);
    }
  }
}

/**
 * stridedCopy where the last two axes transpose: dst[r, j] (row stride ld, unit column stride) =
 * src[r + j·is] for each index of the outer axes (an odometer over rank − 2 axes).
 */
function stridedTranspose(src: usize, dst: usize, rank: i32, dims: usize): void {
  const last = dims + <usize>(rank - 1) * 12;
  const prev = last - 12;
  const cols = load<i32>(last);
  const is = load<i32>(last, 4);
  const rows = load<i32>(prev);
  const ld = load<i32>(prev, 8);
  const outerRank = rank - 2;
  let outer: i64 = 1;
  for (let d = 0; d < outerRank; d++) outer *= load<i32>(dims + <usize>d * 12);
  if (outer == 0) return;
  const index = dims + <usize>rank * 12;
  for (let d = 0; d < outerRank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  const srcRow = (<usize>is) << 2;
  const dstRow = (<usize>ld) << 2;
  let offS: i64 = 0;
  let offD: i64 = 0;
  for (let q: i64 = 0; q < outer; q++) {
    const s = src + (<usize>offS << 2);
    const t = dst + (<usize>offD << 2);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        // Four source rows (j..j+3) of four consecutive r become four destination rows.
        const p = s + ((<usize>r) << 2) + <usize>j * srcRow;
        storeTransposed4x4(
          t + <usize>r * dstRow + ((<usize>j) << 2),
          dstRow,
          v128.load(p),
          v128.load(p + srcRow),
          v128.load(p + 2 * srcRow),
          v128.load(p + 3 * srcRow),
        );
      }
      for (; j < cols; j++) {
        const p = s + ((<usize>r) << 2) + <usize>j * srcRow;
        const d = t + <usize>r * dstRow + ((<usize>j) << 2);
        store<f32>(d, load<f32>(p));
        store<f32>(d + dstRow, load<f32>(p, 4));
        store<f32>(d + 2 * dstRow, load<f32>(p, 8));
        store<f32>(d + 3 * dstRow, load<f32>(p, 12));
      }
    }
    for (; r < rows; r++) {
      const d = t + <usize>r * dstRow;
      let p = s + ((<usize>r) << 2);
      for (let j = 0; j < cols; j++) {
        store<f32>(d + ((<usize>j) << 2), load<f32>(p));
        p += srcRow;
      }
    }
    for (let d = outerRank - 1; d >= 0; d--) {
      const dim = dims + <usize>d * 12;
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const ss = <i64>load<i32>(dim, 4);
      const sd = <i64>load<i32>(dim, 8);
      offS += ss;
      offD += sd;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      const extent = <i64>load<i32>(dim);
      offS -= ss * extent;
      offD -= sd * extent;
      store<i32>(at, 0);
    }
  }
}
