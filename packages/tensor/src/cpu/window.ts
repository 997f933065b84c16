import type { WindowGeometry } from '../backend.js';

/**
 * The book's im2col (chapter 7.4): each output position's receptive field becomes one row, so
 * convolution becomes one matrix product. Row = (n, oy, ox); column = (c, ky, kx).
 */
export function im2col(x: Float32Array, g: WindowGeometry): Float32Array {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW } = g;
  const cols = new Float32Array(n * outH * outW * c * kh * kw);
  let dst = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = oy * strideH - padH;
        const x0 = ox * strideW - padW;
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) {
              dst += kw; // zero padding: the buffer is already zero
              continue;
            }
            const rowStart = (plane + y) * w;
            for (let kx = 0; kx < kw; kx++, dst++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) cols[dst] = x[rowStart + xx]!;
            }
          }
        }
      }
    }
  }
  return cols;
}

/** The adjoint of im2col (the book's col2im): each column entry is added back where it was read. */
export function col2im(cols: Float32Array, g: WindowGeometry): Float32Array {
  const { n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW } = g;
  const image = new Float32Array(n * c * h * w);
  let src = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = oy * strideH - padH;
        const x0 = ox * strideW - padW;
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) {
              src += kw;
              continue;
            }
            const rowStart = (plane + y) * w;
            for (let kx = 0; kx < kw; kx++, src++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) image[rowStart + xx] = image[rowStart + xx]! + cols[src]!;
            }
          }
        }
      }
    }
  }
  return image;
}

/** Calls `visit(outIndex, planeOffset, y0, x0)` for every output cell of a pooling window. */
function forEachWindow(
  g: WindowGeometry,
  visit: (outIndex: number, plane: number, y0: number, x0: number) => void,
): void {
  const { n, c, h, w, strideH, strideW, padH, padW, outH, outW } = g;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const plane = p * h * w;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o++)
        visit(o, plane, oy * strideH - padH, ox * strideW - padW);
    }
  }
}

/** Offset of the first largest element of a window (padding counts as −∞), or −1 if all padding. */
function windowArgmax(
  x: Float32Array,
  g: WindowGeometry,
  plane: number,
  y0: number,
  x0: number,
): number {
  let best = Number.NEGATIVE_INFINITY;
  let at = -1;
  for (let ky = 0; ky < g.kh; ky++) {
    const y = y0 + ky;
    if (y < 0 || y >= g.h) continue;
    for (let kx = 0; kx < g.kw; kx++) {
      const xx = x0 + kx;
      if (xx < 0 || xx >= g.w) continue;
      const offset = plane + y * g.w + xx;
      const v = x[offset]!;
      if (at < 0 || v > best || Number.isNaN(v)) {
        best = v;
        at = offset;
        if (Number.isNaN(v)) return at;
      }
    }
  }
  return at;
}

export function maxPool2d(x: Float32Array, g: WindowGeometry): Float32Array {
  const out = new Float32Array(g.n * g.c * g.outH * g.outW);
  forEachWindow(g, (o, plane, y0, x0) => {
    const at = windowArgmax(x, g, plane, y0, x0);
    out[o] = at < 0 ? Number.NEGATIVE_INFINITY : x[at]!;
  });
  return out;
}

export function maxPool2dBackward(
  dy: Float32Array,
  x: Float32Array,
  g: WindowGeometry,
): Float32Array {
  const dx = new Float32Array(g.n * g.c * g.h * g.w);
  forEachWindow(g, (o, plane, y0, x0) => {
    const at = windowArgmax(x, g, plane, y0, x0);
    if (at >= 0) dx[at] = dx[at]! + dy[o]!;
  });
  return dx;
}

export function avgPool2d(x: Float32Array, g: WindowGeometry): Float32Array {
  const out = new Float32Array(g.n * g.c * g.outH * g.outW);
  const area = g.kh * g.kw;
  forEachWindow(g, (o, plane, y0, x0) => {
    let total = 0;
    for (let ky = 0; ky < g.kh; ky++) {
      const y = y0 + ky;
      if (y < 0 || y >= g.h) continue;
      for (let kx = 0; kx < g.kw; kx++) {
        const xx = x0 + kx;
        if (xx >= 0 && xx < g.w) total += x[plane + y * g.w + xx]!;
      }
    }
    out[o] = total / area;
  });
  return out;
}

export function avgPool2dBackward(dy: Float32Array, g: WindowGeometry): Float32Array {
  const dx = new Float32Array(g.n * g.c * g.h * g.w);
  const area = g.kh * g.kw;
  forEachWindow(g, (o, plane, y0, x0) => {
    const share = dy[o]! / area;
    for (let ky = 0; ky < g.kh; ky++) {
      const y = y0 + ky;
      if (y < 0 || y >= g.h) continue;
      for (let kx = 0; kx < g.kw; kx++) {
        const xx = x0 + kx;
        if (xx >= 0 && xx < g.w) dx[plane + y * g.w + xx] = dx[plane + y * g.w + xx]! + share;
      }
    }
  });
  return dx;
}
