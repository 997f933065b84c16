/** Matrix products on the packed GEMM, split between the threads. */
import type { Backend, MatmulSpec } from '@scratchnet/tensor';
import type { WasmContext } from '../context.js';
import type { WasmData } from '../heap.js';

/** `matmul` on the wasm GEMM. */
export function gemmOps(ctx: WasmContext): Pick<Backend<WasmData>, 'matmul'> {
  const { k, heap, pool, threads, alloc, ptrOf, gemmScratch, minParallel, runOn, threadSums } = ctx;
  /** One GEMM, split over the threads along M, N or (for the weight-gradient shape) K. */
  const gemm = (
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    kk: number,
    transA: boolean,
    transB: boolean,
  ): void => {
    const lda = transA ? m : kk;
    const ldb = transB ? kk : n;
    const tA = transA ? 1 : 0;
    const tB = transB ? 1 : 0;
    const macs = m * n * kk;
    if (!pool || macs < minParallel.gemm) {
      k.gemm(a, b, c, m, n, kk, lda, ldb, n, tA, tB, 0, gemmScratch[0]!);
      return;
    }
    // Runs one block of C per thread (the calling thread takes block 0): `part(t)` gives thread
    // t's operand and output offsets and its rows and columns of C, or null when it has none.
    const runParts = (
      part: (t: number) => { a: number; b: number; c: number; rows: number; cols: number } | null,
    ) => {
      for (let t = threads - 1; t >= 0; t--) {
        const p = part(t);
        if (!p) continue;
        runOn(t, 'gemm', [
          p.a,
          p.b,
          p.c,
          p.rows,
          p.cols,
          kk,
          lda,
          ldb,
          n,
          tA,
          tB,
          0,
          gemmScratch[t]!,
        ]);
      }
      pool.wait();
    };
    // Each thread packs its share of one operand and all of the other, so the split goes along
    // the larger of M and N (an affine layer's 100 × 4320 gradients split by columns).
    if (m >= 4 * threads && (m >= n || n < 8 * threads)) {
      // Rows of C: each thread its own band of op(A) and of C.
      const chunk = Math.ceil(m / threads / 4) * 4;
      runParts((t) => {
        const i0 = t * chunk;
        const rows = Math.min(m, i0 + chunk) - i0;
        if (rows <= 0) return null;
        return { a: a + 4 * (transA ? i0 : i0 * lda), b, c: c + 4 * i0 * n, rows, cols: n };
      });
      return;
    }
    if (n >= 8 * threads) {
      // Columns of C: each thread its own band of op(B) and of C.
      const chunk = Math.ceil(n / threads / 8) * 8;
      runParts((t) => {
        const j0 = t * chunk;
        const cols = Math.min(n, j0 + chunk) - j0;
        if (cols <= 0) return null;
        return { a, b: b + 4 * (transB ? j0 * ldb : j0), c: c + 4 * j0, rows: m, cols };
      });
      return;
    }
    // Small C, long K (a weight gradient: M = C·KH·KW, N = filters, K = batch·OH·OW): each
    // thread multiplies a slice of K into its own C, and the partial products are added.
    const chunk = Math.ceil(kk / threads);
    const sums = threadSums(c, m * n);
    for (let t = threads - 1; t >= 0; t--) {
      const k0 = t * chunk;
      const depth = Math.min(kk, k0 + chunk) - k0;
      runOn(t, 'gemm', [
        a + 4 * (transA ? k0 * lda : k0),
        b + 4 * (transB ? k0 : k0 * ldb),
        sums.target(t),
        m,
        n,
        Math.max(depth, 0),
        lda,
        ldb,
        n,
        tA,
        tB,
        0,
        gemmScratch[t]!,
      ]);
    }
    pool.wait();
    sums.addUp();
  };

  return {
    matmul(a, b, spec: MatmulSpec) {
      heap.begin('matmul');
      const ap = heap.use(a);
      const bp = heap.use(b);
      const { batch, m, k: depth, n, transA, transB } = spec;
      const out = alloc(batch * m * n);
      if (batch * m * n === 0) return out;
      const cp = ptrOf(out);
      for (let i = 0; i < batch; i++) {
        gemm(
          ap + 4 * (spec.broadcastA ? 0 : i * m * depth),
          bp + 4 * (spec.broadcastB ? 0 : i * depth * n),
          cp + 4 * i * m * n,
          m,
          n,
          depth,
          transA,
          transB,
        );
      }
      return out;
    },
  };
}
