// Windows: im2col, col2im, pooling. Geometry comes as a pointer to the struct of geometry.ts.

import { geometryAt } from './geometry';

/** The book's im2col for images [b0, b1) of the batch: rows (n, oy, ox), columns (c, ky, kx). */
export function im2col(
  x: usize,
  cols: usize,
  b0: i32,
  b1: i32,
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
  const width = c * kh * kw;
  let dst = cols + (<usize>b0 * outH * outW * width << 2);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - pw;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ch = 0; ch < c; ch++) {
          const plane = x + (<usize>((b * c + ch) * h) * w << 2);
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) {
              memory.fill(dst, 0, (<usize>kw) << 2);
            } else {
              const row = plane + (<usize>(y * w) << 2);
              if (inside) {
                const from = row + ((<usize>x0) << 2);
                if (kw == 3) {
                  // DeepConvNet's 3×3 windows: a call to memory.copy costs more than 12 bytes.
                  store<f32>(dst, load<f32>(from));
                  store<f32>(dst, load<f32>(from, 4), 4);
                  store<f32>(dst, load<f32>(from, 8), 8);
                } else if (kw >= 16) {
                  memory.copy(dst, from, (<usize>kw) << 2);
                } else {
                  for (let kx = 0; kx < kw; kx++) {
                    const off = (<usize>kx) << 2;
                    store<f32>(dst + off, load<f32>(from + off));
                  }
                }
              } else {
                for (let kx = 0; kx < kw; kx++) {
                  const xx = x0 + kx;
                  store<f32>(
                    dst + ((<usize>kx) << 2),
                    xx >= 0 && xx < w ? load<f32>(row + ((<usize>xx) << 2)) : 0,
                  );
                }
              }
            }
            dst += (<usize>kw) << 2;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col for images [b0, b1): the caller zeroes those images first. */
export function col2im(
  cols: usize,
  img: usize,
  b0: i32,
  b1: i32,
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
  const width = c * kh * kw;
  let src = cols + (<usize>b0 * outH * outW * width << 2);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - pw;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ch = 0; ch < c; ch++) {
          const plane = img + (<usize>((b * c + ch) * h) * w << 2);
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y >= 0 && y < h && inside) {
              const to = plane + (<usize>(y * w + x0) << 2);
              if (kw == 3) {
                store<f32>(to, load<f32>(to) + load<f32>(src));
                store<f32>(to, load<f32>(to, 4) + load<f32>(src, 4), 4);
                store<f32>(to, load<f32>(to, 8) + load<f32>(src, 8), 8);
              } else {
                for (let kx = 0; kx < kw; kx++) {
                  const off = (<usize>kx) << 2;
                  store<f32>(to + off, load<f32>(to + off) + load<f32>(src + off));
                }
              }
            } else if (y >= 0 && y < h) {
              const row = plane + (<usize>(y * w) << 2);
              for (let kx = 0; kx < kw; kx++) {
                const xx = x0 + kx;
                if (xx >= 0 && xx < w) {
                  const at = row + ((<usize>xx) << 2);
                  store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>kx) << 2)));
                }
              }
            }
            src += (<usize>kw) << 2;
          }
        }
      }
    }
  }
}

/** Offset (in elements, within the plane) of the first maximum of a window, or −1 if all padding. */
@inline
function windowArgmax(
  plane: usize,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  y0: i32,
  x0: i32,
): i32 {
  let best: f32 = -Infinity;
  let at = -1;
  for (let ky = 0; ky < kh; ky++) {
    const y = y0 + ky;
    if (y < 0 || y >= h) continue;
    for (let kx = 0; kx < kw; kx++) {
      const xx = x0 + kx;
      if (xx < 0 || xx >= w) continue;
      const o = y * w + xx;
      const v = load<f32>(plane + ((<usize>o) << 2));
      if (at < 0 || v > best || isNaN(v)) {
        best = v;
        at = o;
        if (isNaN(v)) return at;
      }
    }
  }
  return at;
}

/**
 * Max pooling (mode 0), its backward (mode 1, dx zeroed by the caller, each dy added at its
 * window's first maximum) over planes [p0, p1). Mode 2 is the backward for windows that tile the
 * image without overlap or padding (stride = kernel): every element of dx is written (dy at its
 * window's first maximum, 0 elsewhere, also in the rows and columns no window covers), so the
 * caller does not zero it and nothing is read back.
 */
export function maxPool(
  mode: i32,
  x: usize,
  dy: usize,
  out: usize,
  p0: i32,
  p1: i32,
  geometry: usize,
): void {
  const g = geometryAt(geometry);
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
  if (ph == 0 && pw == 0) {
    maxPoolInside(mode, x, dy, out, p0, p1, h, w, kh, kw, sh, sw, outH, outW);
    return;
  }
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const outPlane = (<usize>(p * outH) * outW) << 2;
    const dxPlane = out + (<usize>(p * h) * w << 2);
    let o: usize = 0;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const at = windowArgmax(plane, h, w, kh, kw, oy * sh - ph, ox * sw - pw);
        if (mode == 0) {
          store<f32>(
            out + outPlane + o,
            at < 0 ? -Infinity : load<f32>(plane + ((<usize>at) << 2)),
          );
        } else if (at >= 0) {
          const d = dxPlane + ((<usize>at) << 2);
          store<f32>(d, load<f32>(d) + load<f32>(dy + outPlane + o));
        }
        o += 4;
      }
    }
  }
}

/** Max pooling where every window lies inside the image (no padding): no bounds checks. */
function maxPoolInside(
  mode: i32,
  x: usize,
  dy: usize,
  out: usize,
  p0: i32,
  p1: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  outH: i32,
  outW: i32,
): void {
  const row = (<usize>w) << 2;
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const dxPlane = out + (<usize>(p * h) * w << 2);
    let o = (<usize>(p * outH) * outW) << 2;
    if (mode == 2) zeroUncovered(dxPlane, h, w, outH * kh, outW * kw);
    for (let oy = 0; oy < outH; oy++) {
      const top = plane + <usize>(oy * sh) * row;
      if (mode == 0 && kh == 2 && kw == 2 && sw == 2) {
        // The 2×2, stride-2 case: four outputs per step from two rows of eight.
        let ox = 0;
        for (; ox + 4 <= outW; ox += 4) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a0 = v128.load(r0);
          const a1 = v128.load(r0, 16);
          const b0 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const even = f32x4.max(
            v128.shuffle<f32>(a0, a1, 0, 2, 4, 6),
            v128.shuffle<f32>(a0, a1, 1, 3, 5, 7),
          );
          const odd = f32x4.max(
            v128.shuffle<f32>(b0, b1, 0, 2, 4, 6),
            v128.shuffle<f32>(b0, b1, 1, 3, 5, 7),
          );
          v128.store(out + o, f32x4.max(even, odd));
          o += 16;
        }
        for (; ox < outW; ox++) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          store<f32>(
            out + o,
            max<f32>(max<f32>(load<f32>(r0), load<f32>(r0, 4)), max<f32>(load<f32>(r1), load<f32>(r1, 4))),
          );
          o += 4;
        }
        continue;
      }
      if (mode != 0 && kh == 2 && kw == 2 && sw == 2) {
        const write = mode == 2;
        // Backward of 2×2, stride 2: the first maximum (or first NaN) of each window gets dy.
        // Four windows per step: masks pick the first lane equal to the maximum, in the order
        // top-left, top-right, bottom-left, bottom-right; groups with a NaN go the scalar way.
        let ox = 0;
        for (; ox + 4 <= outW; ox += 4) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a0 = v128.load(r0);
          const a1 = v128.load(r0, 16);
          const b0 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const tl = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
          const tr = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          const bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
          const br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
          const m = f32x4.max(f32x4.max(tl, tr), f32x4.max(bl, br));
          if (v128.any_true(f32x4.ne(m, m))) break;
          const g = v128.load(dy + o);
          const isTl = f32x4.eq(tl, m);
          const isTr = v128.andnot(f32x4.eq(tr, m), isTl);
          const taken = v128.or(isTl, isTr);
          const isBl = v128.andnot(f32x4.eq(bl, m), taken);
          const isBr = v128.not(v128.or(taken, isBl));
          const gTl = v128.and(g, isTl);
          const gTr = v128.and(g, isTr);
          const gBl = v128.and(g, isBl);
          const gBr = v128.and(g, isBr);
          const d0 = dxPlane + (r0 - plane);
          const d1 = d0 + row;
          const top0 = v128.shuffle<f32>(gTl, gTr, 0, 4, 1, 5);
          const top1 = v128.shuffle<f32>(gTl, gTr, 2, 6, 3, 7);
          const bottom0 = v128.shuffle<f32>(gBl, gBr, 0, 4, 1, 5);
          const bottom1 = v128.shuffle<f32>(gBl, gBr, 2, 6, 3, 7);
          if (write) {
            v128.store(d0, top0);
            v128.store(d0, top1, 16);
            v128.store(d1, bottom0);
            v128.store(d1, bottom1, 16);
          } else {
            v128.store(d0, f32x4.add(v128.load(d0), top0));
            v128.store(d0, f32x4.add(v128.load(d0, 16), top1), 16);
            v128.store(d1, f32x4.add(v128.load(d1), bottom0));
            v128.store(d1, f32x4.add(v128.load(d1, 16), bottom1), 16);
          }
          o += 16;
        }
        for (; ox < outW; ox++) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a = load<f32>(r0);
          const b = load<f32>(r0, 4);
          const c = load<f32>(r1);
          const d = load<f32>(r1, 4);
          const m = max<f32>(max<f32>(a, b), max<f32>(c, d));
          let at: usize;
          if (isNaN(m)) at = isNaN(a) ? r0 : isNaN(b) ? r0 + 4 : isNaN(c) ? r1 : r1 + 4;
          else at = a == m ? r0 : b == m ? r0 + 4 : c == m ? r1 : r1 + 4;
          const dst = dxPlane + (at - plane);
          if (write) {
            const d0 = dxPlane + (r0 - plane);
            store<u64>(d0, 0);
            store<u64>(d0 + row, 0);
            store<f32>(dst, load<f32>(dy + o));
          } else {
            store<f32>(dst, load<f32>(dst) + load<f32>(dy + o));
          }
          o += 4;
        }
        continue;
      }
      for (let ox = 0; ox < outW; ox++) {
        const corner = top + ((<usize>(ox * sw)) << 2);
        let best = load<f32>(corner);
        let at = corner;
        if (!isNaN(best)) {
          for (let ky = 0; ky < kh; ky++) {
            const r = corner + <usize>ky * row;
            let found = false;
            for (let kx = ky == 0 ? 1 : 0; kx < kw; kx++) {
              const v = load<f32>(r + ((<usize>kx) << 2));
              if (v > best || isNaN(v)) {
                best = v;
                at = r + ((<usize>kx) << 2);
                if (isNaN(v)) {
                  found = true;
                  break;
                }
              }
            }
            if (found) break;
          }
        }
        if (mode == 0) {
          store<f32>(out + o, best);
        } else if (mode == 2) {
          // The window is this output's alone: zeros, then dy at its first maximum.
          const d = dxPlane + (corner - plane);
          for (let ky = 0; ky < kh; ky++) memory.fill(d + <usize>ky * row, 0, (<usize>kw) << 2);
          store<f32>(dxPlane + (at - plane), load<f32>(dy + o));
        } else {
          const d = dxPlane + (at - plane);
          store<f32>(d, load<f32>(d) + load<f32>(dy + o));
        }
        o += 4;
      }
    }
  }
}

/**
 * Zeroes what the windows of a tiling do not cover in one h×w plane: the columns from `coveredW`
 * in the rows above `coveredH`, and every row from `coveredH` (a 5×5 image under 2×2 windows
 * leaves its last row and column).
 */
function zeroUncovered(plane: usize, h: i32, w: i32, coveredH: i32, coveredW: i32): void {
  const row = (<usize>w) << 2;
  if (coveredW < w) {
    const tail = (<usize>(w - coveredW)) << 2;
    for (let y = 0; y < coveredH; y++) {
      memory.fill(plane + <usize>y * row + ((<usize>coveredW) << 2), 0, tail);
    }
  }
  if (coveredH < h) memory.fill(plane + <usize>coveredH * row, 0, <usize>(h - coveredH) * row);
}

/** Average pooling (mode 0) or its backward (mode 1, from dy into x, zeroed by the caller). */
export function avgPool(
  mode: i32,
  x: usize,
  out: usize,
  p0: i32,
  p1: i32,
  geometry: usize,
): void {
  const g = geometryAt(geometry);
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
  const area = <f32>(kh * kw);
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const outPlane = out + ((<usize>(p * outH) * outW) << 2);
    let o: usize = 0;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = oy * sh - ph;
        const x0 = ox * sw - pw;
        if (mode == 0) {
          let total: f32 = 0;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) total += load<f32>(plane + ((<usize>(y * w + xx)) << 2));
            }
          }
          store<f32>(outPlane + o, total / area);
        } else {
          // x is dx here and out is dy.
          const share = load<f32>(outPlane + o) / area;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) {
                const d = plane + ((<usize>(y * w + xx)) << 2);
                store<f32>(d, load<f32>(d) + share);
              }
            }
          }
        }
        o += 4;
      }
    }
  }
}
