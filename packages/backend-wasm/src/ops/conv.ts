/** Convolution and its two gradients: Winograd where it fits, else columns and the GEMM. */
import type { Backend } from '@scratchnet/tensor';
import type { WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';
import { splitByImages } from './split-by-images.js';
import { winograd, winogradFilterGrad, winogradFits } from './winograd.js';

/** `conv2d` and its gradients on the wasm kernels, one image at a time. */
export function convOps(
  ctx: WasmContext,
): Pick<Backend<WasmData>, 'conv2d' | 'conv2dInputGrad' | 'conv2dFilterGrad'> {
  const { heap, alloc, ptrOf, gemmScratch, geometry, threadSums } = ctx;
  return {
    // `relu` is applied where the kernels add the bias (the GEMM's output chunk while in cache,
    // or Winograd's output transform): the values of conv2d then unary relu, one pass fewer.
    conv2d(x, w, bias, g, outC, relu = false) {
      heap.begin('conv2d');
      const xp = heap.use(x);
      const wp = heap.use(w);
      const bp = bias ? heap.use(bias) : 0;
      const out = alloc(g.n * outC * g.outH * g.outW);
      if (out.length === 0) return out;
      if (winogradFits(g, outC)) {
        winograd(ctx, xp, wp, false, bp, ptrOf(out), g.n, g.c, g.h, g.w, g.padH, outC, relu);
        return out;
      }
      const gp = geometry(g);
      splitByImages(ctx, 'conv2dForward', g, outC, (t, b0, b1, cols) => [
        xp,
        wp,
        bp,
        bias ? 1 : 0,
        ptrOf(out),
        b0,
        b1,
        outC,
        cols,
        gemmScratch[t]!,
        gp,
        relu ? 1 : 0,
      ]);
      return out;
    },
    conv2dInputGrad(dy, w, g, outC) {
      heap.begin('conv2dInputGrad');
      const dyp = heap.use(dy);
      const wp = heap.use(w);
      const out = alloc(g.n * g.c * g.h * g.w);
      if (out.length === 0) return out;
      if (winogradFits(g, outC)) {
        // dx is dy convolved with the filters turned by 180°, channels swapped, padding 2 − p.
        winograd(ctx, dyp, wp, true, 0, ptrOf(out), g.n, outC, g.outH, g.outW, 2 - g.padH, g.c);
        return out;
      }
      const gp = geometry(g);
      splitByImages(ctx, 'conv2dInputGrad', g, outC, (t, b0, b1, cols) => [
        dyp,
        wp,
        ptrOf(out),
        b0,
        b1,
        outC,
        cols,
        gemmScratch[t]!,
        gp,
      ]);
      return out;
    },
    conv2dFilterGrad(x, dy, g, outC) {
      heap.begin('conv2dFilterGrad');
      const xp = heap.use(x);
      const dyp = heap.use(dy);
      const size = outC * g.c * g.kh * g.kw;
      const out = alloc(size);
      if (size === 0) return out;
      if (winogradFits(g, outC)) {
        winogradFilterGrad(ctx, xp, dyp, ptrOf(out), g, outC);
        return out;
      }
      // Each thread sums its images' products into its own block; the blocks are added at the end.
      const sums = threadSums(ptrOf(out), size);
      const gp = geometry(g);
      splitByImages(ctx, 'conv2dFilterGrad', g, outC, (t, b0, b1, cols) => [
        xp,
        dyp,
        sums.target(t),
        b0,
        b1,
        outC,
        0,
        cols,
        gemmScratch[t]!,
        gp,
      ]);
      sums.addUp();
      return out;
    },
  };
}
