/**
 * Winograd F(2×2, 3×3) convolutions (Lavin & Gray, 2015) for 3×3 filters with stride 1: the
 * forward pass and the input gradient (one algorithm), and the weight gradient.
 */
import type { WindowGeometry } from '@scratchnet/tensor';
import type { WasmContext } from '../context.js';
import { splitByImages } from './split-by-images.js';

/** Below this many input or output channels a 3×3 convolution goes through columns, not Winograd. */
const WINOGRAD_MIN_CHANNELS = 8;

/**
 * Winograd F(2×2, 3×3) suits 3×3 filters with stride 1 and padding up to 2 (which the input
 * gradient turns into 2 − padding), once both channel counts are large enough for its 16 GEMMs
 * (their depth is the input channel count).
 */
export const winogradFits = (g: WindowGeometry, outC: number): boolean =>
  g.kh === 3 &&
  g.kw === 3 &&
  g.strideH === 1 &&
  g.strideW === 1 &&
  g.padH === g.padW &&
  g.padH <= 2 &&
  Math.min(g.c, outC) >= WINOGRAD_MIN_CHANNELS;

/**
 * A Winograd convolution of `x` ([n, c, h, w]) into `out` ([n, outC, h + 2·pad − 2, …]), split
 * by images among the threads. `weight` holds conv2d's filters: [outC, c, 3, 3], or with `flip`
 * [c, outC, 3, 3] used turned by 180° (the input gradient, where this convolution's input is
 * conv2d's output gradient).
 */
export function winograd(
  ctx: WasmContext,
  x: number,
  weight: number,
  flip: boolean,
  bias: number,
  out: number,
  n: number,
  c: number,
  h: number,
  w: number,
  pad: number,
  outC: number,
): void {
  const { k, heap, alloc, ptrOf, gemmScratch } = ctx;
  const outH = h + 2 * pad - 2;
  const outW = w + 2 * pad - 2;
  const u = alloc(16 * outC * c);
  k.winogradFilters(weight, ptrOf(u), flip ? c : outC, flip ? outC : c, flip ? 1 : 0);
  const g: WindowGeometry = {
    n,
    c,
    h,
    w,
    kh: 3,
    kw: 3,
    strideH: 1,
    strideW: 1,
    padH: pad,
    padW: pad,
    outH,
    outW,
  };
  splitByImages(
    ctx,
    'conv2dWinograd',
    g,
    outC,
    (t, b0, b1, work) => [
      x,
      ptrOf(u),
      bias,
      bias ? 1 : 0,
      out,
      b0,
      b1,
      outC,
      work,
      gemmScratch[t]!,
      c,
      h,
      w,
      pad,
      outH,
      outW,
    ],
    k.winogradScratchFloats(c, outC, h, w, pad, outH, outW),
  );
  heap.free(u);
}

/**
 * The weight gradient by Winograd: each thread sums its images' 16 products into its own
 * [16, outC, C] block; the blocks are added, then transformed back to [outC, C, 3, 3].
 */
export function winogradFilterGrad(
  ctx: WasmContext,
  x: number,
  dy: number,
  out: number,
  g: WindowGeometry,
  outC: number,
): void {
  const { k, heap, alloc, ptrOf, gemmScratch, threadSums } = ctx;
  const size = 16 * outC * g.c;
  const total = alloc(size);
  const sums = threadSums(ptrOf(total), size);
  splitByImages(
    ctx,
    'conv2dWinogradFilterGrad',
    g,
    outC,
    (t, b0, b1, work) => [
      x,
      dy,
      sums.target(t),
      b0,
      b1,
      outC,
      0,
      work,
      gemmScratch[t]!,
      g.c,
      g.h,
      g.w,
      g.padH,
      g.outH,
      g.outW,
    ],
    k.winogradFilterGradScratchFloats(g.c, outC, g.h, g.w, g.padH, g.outH, g.outW),
  );
  sums.addUp();
  k.winogradFilterGradients(ptrOf(total), out, outC, g.c);
  heap.free(total);
}
