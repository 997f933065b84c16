/**
 * Winograd convolutions (Lavin & Gray, 2015) for 3×3 filters with stride 1: the forward pass and
 * the input gradient (one algorithm), and the weight gradient. F(4×4, 3×3) (assembly/winograd4.ts,
 * 36 GEMMs per 4×4 tile of outputs) where it does less work than F(2×2, 3×3)
 * (assembly/winograd.ts, 16 GEMMs per 2×2 tile), which is everywhere but very thin images; both
 * use the same arguments.
 */
import type { WindowGeometry } from '@scratchnet/tensor';
import type { WasmContext } from '../context.js';
import { splitByImages } from './split-by-images.js';

/** Below this many input or output channels a 3×3 convolution goes through columns, not Winograd. */
const WINOGRAD_MIN_CHANNELS = 8;

/**
 * Winograd suits 3×3 filters with stride 1 and padding up to 2 (which the input gradient turns
 * into 2 − padding), once both channel counts are large enough for its GEMMs (their depth is the
 * input channel count).
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
 * The two algorithms' kernels: the floats of the transformed filters (16 or 36 planes of
 * outC × C, also the size of the weight gradient's sums), the filter transform, the convolution,
 * the weight gradient and its back-transform, and scratch sizes.
 */
const F2 = {
  filterFloats: (_k: WasmContext['k'], outC: number, c: number) => 16 * outC * c,
  filters: 'winogradFilters',
  forward: 'conv2dWinograd',
  scratch: 'winogradScratchFloats',
  filterGrad: 'conv2dWinogradFilterGrad',
  filterGradScratch: 'winogradFilterGradScratchFloats',
  gradients: 'winogradFilterGradients',
} as const;
const F4 = {
  // Planes a cache line apart (winograd4.ts).
  filterFloats: (k: WasmContext['k'], outC: number, c: number) => k.winograd4FilterFloats(outC, c),
  filters: 'winograd4Filters',
  forward: 'conv2dWinograd4',
  scratch: 'winograd4ScratchFloats',
  filterGrad: 'conv2dWinograd4FilterGrad',
  filterGradScratch: 'winograd4FilterGradScratchFloats',
  gradients: 'winograd4FilterGradients',
} as const;

/**
 * F(4×4) or F(2×2) for an [outH, outW] output from c channels into outC: whichever costs less per
 * image, counting per tile its GEMM multiply-adds ((m + 2)² per channel pair, four per SIMD
 * instruction) and its transforms' instructions per input and per output channel (about 100 and
 * 85 for F(4×4)'s 6×6 tiles, 18 and 13 for F(2×2)'s 4×4). F(2×2) rounds its tile rows up to a
 * multiple of four tiles (8 columns), F(4×4) numbers its tiles through the images and wastes only
 * the partial tiles at the right and bottom edges. On DeepConvNet's layers F(4×4) comes out at
 * 0.65–0.8 of F(2×2)'s work (8×8 images included); F(2×2) wins only on images a few pixels high.
 */
export function winogradKind(c: number, outC: number, outH: number, outW: number) {
  const perTile = (side: number, input: number, output: number) =>
    (side * side * c * outC) / 4 + input * c + output * outC;
  const tiles2 = Math.ceil(outH / 2) * 4 * Math.ceil(Math.ceil(outW / 2) / 4);
  const tiles4 = Math.ceil(outH / 4) * Math.ceil(outW / 4);
  return tiles4 * perTile(6, 100, 85) < tiles2 * perTile(4, 18, 13) ? F4 : F2;
}

/**
 * F(4×4)'s weight gradient rounds like a float32 sum of a few tens of products whatever the batch
 * (its transforms scale the products up to 225 times before the back-transform divides them
 * down), where a direct sum of T products is good to about T·ε: it is used only where each
 * weight's gradient sums at least this many products (n·outH·outW, 6400 and more in DeepConvNet),
 * else F(2×2)'s.
 */
const F4_MIN_GRADIENT_TERMS = 256;

/**
 * A Winograd convolution of `x` ([n, c, h, w]) into `out` ([n, outC, h + 2·pad − 2, …]), split
 * by images among the threads. `weight` holds conv2d's filters: [outC, c, 3, 3], or with `flip`
 * [c, outC, 3, 3] used turned by 180° (the input gradient, where this convolution's input is
 * conv2d's output gradient). With `relu`, max(0, ·) after the bias, in the output transform.
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
  relu = false,
): void {
  const { k, heap, alloc, ptrOf, gemmScratch } = ctx;
  const outH = h + 2 * pad - 2;
  const outW = w + 2 * pad - 2;
  const kind = winogradKind(c, outC, outH, outW);
  const u = alloc(kind.filterFloats(k, outC, c));
  k[kind.filters](weight, ptrOf(u), flip ? c : outC, flip ? outC : c, flip ? 1 : 0);
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
  const geometry = ctx.geometry(g);
  splitByImages(
    ctx,
    kind.forward,
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
      geometry,
      relu ? 1 : 0,
    ],
    k[kind.scratch](c, outC, h, w, pad, outH, outW),
  );
  heap.free(u);
}

/**
 * The weight gradient by Winograd (F(4×4) or F(2×2) as the forward pass): each thread sums its
 * images' 36 or 16 products into its own [planes, outC, C] block; the blocks are added, then
 * transformed back to [outC, C, 3, 3].
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
  const kind =
    g.n * g.outH * g.outW >= F4_MIN_GRADIENT_TERMS ? winogradKind(g.c, outC, g.outH, g.outW) : F2;
  const size = kind.filterFloats(k, outC, g.c);
  const total = alloc(size);
  const sums = threadSums(ptrOf(total), size);
  const geometry = ctx.geometry(g);
  splitByImages(
    ctx,
    kind.filterGrad,
    g,
    outC,
    (t, b0, b1, work) => [x, dy, sums.target(t), b0, b1, outC, 0, work, gemmScratch[t]!, geometry],
    k[kind.filterGradScratch](g.c, outC, g.h, g.w, g.padH, g.outH, g.outW),
  );
  sums.addUp();
  k[kind.gradients](ptrOf(total), out, outC, g.c);
  heap.free(total);
}
