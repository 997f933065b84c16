/** The fused Adam update. */
import type { Backend } from '@scratchnet/tensor';
import type { WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';

/** `adamStep` on the fused Adam kernel. */
export function adamOps(ctx: WasmContext): Pick<Backend<WasmData>, 'adamStep'> {
  const { heap, pool, threads, alloc, ptrOf, scratches, minParallel, parallelFor } = ctx;
  return {
    adamStep(param, grad, m, v, size, spec) {
      heap.begin('adamStep');
      const pp = heap.use(param);
      const gp = heap.use(grad);
      const mp = heap.use(m);
      const vp = heap.use(v);
      const outs = [alloc(size), alloc(size), alloc(size)] as [WasmData, WasmData, WasmData];
      if (size === 0) return outs;
      const hyper = scratches[0]!;
      heap.f32.set(
        [
          spec.beta1,
          1 - spec.beta1,
          spec.beta2,
          1 - spec.beta2,
          spec.correction1,
          spec.correction2,
          spec.lr,
          spec.eps,
        ],
        hyper >> 2,
      );
      const [op, om, ov] = outs.map(ptrOf) as [number, number, number];
      const parts = pool && size >= minParallel.elementwise ? threads : 1;
      parallelFor('adam', parts, (t0, t1) => {
        const chunk = Math.ceil(size / parts / 16) * 16;
        const begin = Math.min(size, t0 * chunk);
        const n = Math.min(size, t1 * chunk) - begin;
        const at = 4 * begin;
        return [pp + at, gp + at, mp + at, vp + at, op + at, om + at, ov + at, n, hyper];
      });
      return outs;
    },
  };
}
