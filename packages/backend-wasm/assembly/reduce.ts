// Reductions: sum, max, min over a set of axes, and argmax/argmin along one axis.

const R_SUM = 0;
const R_MAX = 1;
const R_MIN = 2;

/**
 * Reduces x (shape at `dims`: i32 pairs (size, output stride), output stride 0 on reduced
 * axes) into out, which the caller has initialised (0, −∞ or +∞).
 */
export function reduce(op: i32, x: usize, out: usize, rank: i32, dims: usize): void {
  const last = dims + (<usize>(rank - 1) << 3);
  const inner = load<i32>(last);
  const innerStep = load<i32>(last, 4);
  let size: i64 = 1;
  for (let d = 0; d < rank; d++) size *= load<i32>(dims + (<usize>d << 3));
  if (size == 0) return;
  const index = dims + (<usize>rank << 3);
  for (let d = 0; d < rank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  let dst: i64 = 0;
  for (let src: i64 = 0; src < size; src += inner) {
    const xs = x + (<usize>src << 2);
    const os = out + (<usize>dst << 2);
    if (innerStep == 0) {
      // The whole row goes to one output element.
      let j = 0;
      if (op == R_SUM) {
        let acc = f32x4.splat(0);
        for (; j + 4 <= inner; j += 4) acc = f32x4.add(acc, v128.load(xs + ((<usize>j) << 2)));
        let total =
          f32x4.extract_lane(acc, 0) +
          f32x4.extract_lane(acc, 1) +
          (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; j < inner; j++) total += load<f32>(xs + ((<usize>j) << 2));
        store<f32>(os, load<f32>(os) + total);
      } else {
        let best = load<f32>(os);
        for (; j < inner; j++) {
          const v = load<f32>(xs + ((<usize>j) << 2));
          best = op == R_MAX ? max<f32>(best, v) : min<f32>(best, v);
        }
        store<f32>(os, best);
      }
    } else {
      // The row maps onto a contiguous row of the output.
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const off = (<usize>j) << 2;
        const v = v128.load(xs + off);
        const o = v128.load(os + off);
        v128.store(
          os + off,
          op == R_SUM ? f32x4.add(o, v) : op == R_MAX ? f32x4.max(o, v) : f32x4.min(o, v),
        );
      }
      for (; j < inner; j++) {
        const off = (<usize>j) << 2;
        const v = load<f32>(xs + off);
        const o = load<f32>(os + off);
        store<f32>(os + off, op == R_SUM ? o + v : op == R_MAX ? max<f32>(o, v) : min<f32>(o, v));
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims + (<usize>d << 3);
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const step = <i64>load<i32>(dim, 4);
      dst += step;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      dst -= step * <i64>load<i32>(dim);
      store<i32>(at, 0);
    }
  }
}

/** Index of the first largest (smallest) value along an axis, as a float; NaN counts as extreme. */
export function argReduce(
  isMax: i32,
  x: usize,
  out: usize,
  outer: i32,
  len: i32,
  inner: i32,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * len * inner + i) << 2);
      let best = load<f32>(base);
      let bestIndex = 0;
      for (let j = 1; j < len; j++) {
        if (isNaN(best)) break;
        const v = load<f32>(base + (<usize>(j * inner) << 2));
        if (isNaN(v) || (isMax ? v > best : v < best)) {
          best = v;
          bestIndex = j;
        }
      }
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>bestIndex);
    }
  }
}
