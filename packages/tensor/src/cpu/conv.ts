import type { WindowGeometry } from '../backend.js';
import { gemm } from './gemm.js';
import { col2im, im2col } from './window.js';

// The book's Convolution layer (chapter 7.4.3) on plain arrays: im2col turns every receptive
// field into a row, so the convolution and both of its gradients are one matrix product each.
// Rows of the column matrix are (n, oy, ox) and the GEMM's outputs are in that order too, so they
// are moved to and from the [N, outC, OH, OW] layout here.

/** [N, outC, OH·OW] ↔ rows (n, p) × outC: `toRows` picks the direction. */
function transposeChannels(
  src: Float32Array,
  g: WindowGeometry,
  outC: number,
  toRows: boolean,
): Float32Array {
  const plane = g.outH * g.outW;
  const dst = new Float32Array(src.length);
  for (let b = 0; b < g.n; b++) {
    for (let o = 0; o < outC; o++) {
      const image = (b * outC + o) * plane;
      for (let p = 0; p < plane; p++) {
        const row = (b * plane + p) * outC + o;
        if (toRows) dst[row] = src[image + p]!;
        else dst[image + p] = src[row]!;
      }
    }
  }
  return dst;
}

/**
 * y = im2col(x) · Wᵀ (+ b), reordered to [N, outC, OH, OW]; with `relu`, max(y, 0) after the
 * bias, computed as the unary relu computes it (the same values as the two ops one after another).
 */
export function conv2d(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  g: WindowGeometry,
  outC: number,
  relu = false,
): Float32Array {
  const rows = g.n * g.outH * g.outW;
  const width = g.c * g.kh * g.kw;
  const cols = im2col(x, g);
  const out = new Float32Array(rows * outC);
  gemm({
    a: cols,
    aOffset: 0,
    b: w,
    bOffset: 0,
    c: out,
    cOffset: 0,
    m: rows,
    n: outC,
    k: width,
    transA: false,
    transB: true,
  });
  if (bias) {
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < outC; o++) out[r * outC + o] = out[r * outC + o]! + bias[o]!;
    }
  }
  if (relu) {
    for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, 0);
  }
  return transposeChannels(out, g, outC, false);
}

/** dx = col2im(dy · W): the book's Convolution.backward, for the input. */
export function conv2dInputGrad(
  dy: Float32Array,
  w: Float32Array,
  g: WindowGeometry,
  outC: number,
): Float32Array {
  const rows = g.n * g.outH * g.outW;
  const width = g.c * g.kh * g.kw;
  const dcols = new Float32Array(rows * width);
  const dyRows = transposeChannels(dy, g, outC, true);
  gemm({
    a: dyRows,
    aOffset: 0,
    b: w,
    bOffset: 0,
    c: dcols,
    cOffset: 0,
    m: rows,
    n: width,
    k: outC,
    transA: false,
    transB: false,
  });
  return col2im(dcols, g);
}

/** dW = dyᵀ · im2col(x): the book's Convolution.backward, for the weight. */
export function conv2dFilterGrad(
  x: Float32Array,
  dy: Float32Array,
  g: WindowGeometry,
  outC: number,
): Float32Array {
  const rows = g.n * g.outH * g.outW;
  const width = g.c * g.kh * g.kw;
  const cols = im2col(x, g);
  const dyRows = transposeChannels(dy, g, outC, true);
  const dw = new Float32Array(outC * width);
  gemm({
    a: dyRows,
    aOffset: 0,
    b: cols,
    bOffset: 0,
    c: dw,
    cOffset: 0,
    m: outC,
    n: width,
    k: rows,
    transA: true,
    transB: false,
  });
  return dw;
}
