/** Sliding windows: im2col, col2im and pooling with their gradients. */
import type { Backend } from '@scratchnet/tensor';
import type { KernelArgs, WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';

/** The window kernels: im2col, col2im, max and average pooling and their gradients. */
export function windowOps(
  ctx: WasmContext,
): Pick<
  Backend<WasmData>,
  'im2col' | 'col2im' | 'maxPool2d' | 'maxPool2dBackward' | 'avgPool2d' | 'avgPool2dBackward'
> {
  const { k, heap, alloc, ptrOf, minParallel, geometry, parallelFor } = ctx;
  /**
   * A sliding-window kernel (im2col, col2im, pooling and their gradients): allocates the output
   * (zeroed first when the kernel adds into it) and, when the work is large enough, splits the
   * `units` (images or planes) among the threads. `args` gets the output's pointer and a range
   * of units.
   */
  const windowKernel = <K extends 'im2col' | 'col2im' | 'maxPool' | 'avgPool'>(
    kernel: K,
    outLength: number,
    { units, work, zeroed }: { units: number; work: number; zeroed: boolean },
    args: (out: number, begin: number, end: number) => KernelArgs<K>,
  ): WasmData => {
    const out = alloc(outLength);
    if (out.length === 0) return out;
    if (zeroed) k.fill(ptrOf(out), out.length, 0);
    const big = work >= minParallel.window;
    parallelFor(kernel, big ? units : 1, (begin, end) =>
      args(ptrOf(out), big ? begin : 0, big ? end : units),
    );
    return out;
  };

  return {
    im2col(x, g) {
      heap.begin('im2col');
      const xp = heap.use(x);
      const size = g.n * g.outH * g.outW * g.c * g.kh * g.kw;
      const gp = geometry(g);
      return windowKernel(
        'im2col',
        size,
        { units: g.n, work: size, zeroed: false },
        (out, b0, b1) => [xp, out, b0, b1, gp],
      );
    },

    col2im(cols, g) {
      heap.begin('col2im');
      const colsp = heap.use(cols);
      const size = g.n * g.c * g.h * g.w;
      const gp = geometry(g);
      return windowKernel(
        'col2im',
        size,
        { units: g.n, work: cols.length, zeroed: true },
        (out, b0, b1) => [colsp, out, b0, b1, gp],
      );
    },

    maxPool2d(x, g) {
      heap.begin('maxPool2d');
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      return windowKernel(
        'maxPool',
        planes * g.outH * g.outW,
        { units: planes, work: x.length, zeroed: false },
        (out, p0, p1) => [0, xp, 0, out, p0, p1, gp],
      );
    },

    maxPool2dBackward(dy, x, g) {
      heap.begin('maxPool2dBackward');
      const dyp = heap.use(dy);
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      // Windows that tile the image (the book's 2×2, stride 2): the kernel writes every element
      // of dx in one pass (mode 2), so it is not zeroed first nor read back.
      const tiles = g.strideH === g.kh && g.strideW === g.kw && g.padH === 0 && g.padW === 0;
      return windowKernel(
        'maxPool',
        planes * g.h * g.w,
        { units: planes, work: x.length, zeroed: !tiles },
        (out, p0, p1) => [tiles ? 2 : 1, xp, dyp, out, p0, p1, gp],
      );
    },

    avgPool2d(x, g) {
      heap.begin('avgPool2d');
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      return windowKernel(
        'avgPool',
        planes * g.outH * g.outW,
        { units: planes, work: x.length, zeroed: false },
        (out, p0, p1) => [0, xp, out, p0, p1, gp],
      );
    },

    avgPool2dBackward(dy, g) {
      heap.begin('avgPool2dBackward');
      const dyp = heap.use(dy);
      const planes = g.n * g.c;
      const size = planes * g.h * g.w;
      const gp = geometry(g);
      return windowKernel(
        'avgPool',
        size,
        { units: planes, work: size, zeroed: true },
        (out, p0, p1) => [1, out, dyp, p0, p1, gp],
      );
    },
  };
}
