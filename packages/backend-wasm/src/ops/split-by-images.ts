/** How the convolution kernels share a batch between the threads. */
import type { WindowGeometry } from '@scratchnet/tensor';
import type { KernelArgs, WasmContext } from '../context.js';

/** The kernels that take a range of images and a work block of their own per thread. */
export type ConvolutionKernel =
  | 'conv2dForward'
  | 'conv2dInputGrad'
  | 'conv2dFilterGrad'
  | 'conv2dWinograd'
  | 'conv2dWinogradFilterGrad'
  | 'conv2dWinograd4'
  | 'conv2dWinograd4FilterGrad';

/**
 * A convolution kernel over the batch, split by images among the threads; each thread gets its
 * own block for a chunk of one image's columns (see `convChunkRows`) and its GEMM scratch.
 * `args(t, b0, b1, work)` are thread t's arguments.
 */
export function splitByImages<K extends ConvolutionKernel>(
  { k, heap, pool, threads, alloc, ptrOf, minParallel, runOn }: WasmContext,
  kernel: K,
  g: WindowGeometry,
  outC: number,
  args: (t: number, b0: number, b1: number, work: number) => KernelArgs<K>,
  workFloats = g.c * g.kh * g.kw * k.convChunkRows(g.c * g.kh * g.kw, g.outH, g.outW) * g.outW,
): void {
  const macs = g.n * outC * g.c * g.kh * g.kw * g.outH * g.outW;
  const parts = pool && macs >= minParallel.gemm ? Math.min(threads, g.n) : 1;
  const work = alloc(parts * workFloats);
  const chunk = Math.ceil(g.n / parts);
  for (let t = parts - 1; t >= 0; t--) {
    const b0 = Math.min(g.n, t * chunk);
    const b1 = Math.min(g.n, b0 + chunk);
    runOn(t, kernel, args(t, b0, b1, ptrOf(work) + 4 * t * workFloats));
  }
  if (parts > 1) pool!.wait();
  heap.free(work);
}
