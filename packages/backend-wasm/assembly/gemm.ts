// GEMM: C (m×n) = op(A) (m×k) · op(B) (k×n), packed and register-blocked (BLIS structure).
//
// One source, two builds: `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant, so the relaxed
// build's micro-kernel uses fused multiply-add and the portable build a multiply and an add.

import { storeTransposed4x4 } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Bytes of scratch one GEMM call needs (packed A block, packed B block, one edge tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

@inline
function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/** Whether this build was compiled with relaxed SIMD (1) or the portable SIMD set (0). */
export function isRelaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/**
 * C[m×n] (row stride ldc) = (accumulate ? C : 0) + op(A)·op(B), where
 * op(A)[i, p] = transA ? A[p·lda + i] : A[i·lda + p] and op(B)[p, j] = transB ? B[j·ldb + p] : B[p·ldb + j].
 * `scratch` must hold gemmScratchBytes() bytes and belong to the calling thread alone.
 */
export function gemm(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  lda: i32,
  ldb: i32,
  ldc: i32,
  transA: i32,
  transB: i32,
  accumulate: i32,
  scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, <usize>n << 2);
    }
    return;
  }
  const packA = scratch;
  const packB = scratch + ((<usize>(MC * KC)) << 2);
  const tile = packB + ((<usize>(KC * NC)) << 2);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const add: bool = accumulate != 0 || pc > 0;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = min(NC, n - jc);
      packBBlock(b, ldb, transB, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packABlock(a, lda, transA, pc, kc, ic, mc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = packB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const ap = packA + ((<usize>(ir * kc)) << 2);
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              microKernel(kc, ap, bp, cp, ldc, add);
            } else {
              microKernel(kc, ap, bp, tile, NR, false);
              for (let r = 0; r < rows; r++) {
                const dst = cp + ((<usize>r * ldc) << 2);
                const src = tile + ((<usize>(r * NR)) << 2);
                for (let q = 0; q < cols; q++) {
                  const off = (<usize>q) << 2;
                  const v = load<f32>(src + off);
                  store<f32>(dst + off, add ? load<f32>(dst + off) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** op(A)[ic..ic+mc, pc..pc+kc] → MR-row panels, k-major (panel[p·MR + r]), zero-padded rows. */
function packABlock(
  a: usize,
  lda: i32,
  transA: i32,
  pc: i32,
  kc: i32,
  ic: i32,
  mc: i32,
  dst: usize,
): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + ((<usize>(ir * kc)) << 2);
    if (transA) {
      // A stored k×m: four consecutive rows of op(A) are four consecutive floats.
      let src = a + ((<usize>pc * lda + ic + ir) << 2);
      const step = (<usize>lda) << 2;
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(panel + ((<usize>p) << 4), v128.load(src));
          src += step;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p) << 4);
          for (let r = 0; r < MR; r++) {
            store<f32>(d + ((<usize>r) << 2), r < rows ? load<f32>(src + ((<usize>r) << 2)) : 0);
          }
          src += step;
        }
      }
    } else if (rows == MR) {
      const r0 = a + ((<usize>(ic + ir) * lda + pc) << 2);
      const ld = (<usize>lda) << 2;
      const r1 = r0 + ld;
      const r2 = r1 + ld;
      const r3 = r2 + ld;
      let p = 0;
      // 4×4 transposes: four rows of four k-values become four k-steps of four rows.
      for (; p + 4 <= kc; p += 4) {
        const off = (<usize>p) << 2;
        storeTransposed4x4(
          panel + ((<usize>p) << 4),
          16,
          v128.load(r0 + off),
          v128.load(r1 + off),
          v128.load(r2 + off),
          v128.load(r3 + off),
        );
      }
      for (; p < kc; p++) {
        const off = (<usize>p) << 2;
        const d = panel + ((<usize>p) << 4);
        store<f32>(d, load<f32>(r0 + off));
        store<f32>(d, load<f32>(r1 + off), 4);
        store<f32>(d, load<f32>(r2 + off), 8);
        store<f32>(d, load<f32>(r3 + off), 12);
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const row = a + ((<usize>(ic + ir + r) * lda + pc) << 2);
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>(p * MR + r)) << 2);
          store<f32>(d, r < rows ? load<f32>(row + ((<usize>p) << 2)) : 0);
        }
      }
    }
  }
}

/** op(B)[pc..pc+kc, jc..jc+nc] → NR-column panels, k-major (panel[p·NR + q]), zero-padded. */
function packBBlock(
  b: usize,
  ldb: i32,
  transB: i32,
  pc: i32,
  kc: i32,
  jc: i32,
  nc: i32,
  dst: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + ((<usize>(jr * kc)) << 2);
    if (!transB) {
      let src = b + ((<usize>pc * ldb + jc + jr) << 2);
      const step = (<usize>ldb) << 2;
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p) << 5);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += step;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p) << 5);
          for (let q = 0; q < NR; q++) {
            store<f32>(d + ((<usize>q) << 2), q < cols ? load<f32>(src + ((<usize>q) << 2)) : 0);
          }
          src += step;
        }
      }
    } else if (cols == NR) {
      // B stored n×k: column j of op(B) is row j of B, contiguous along k. Eight rows of four
      // k-values become four k-steps of eight columns through two 4×4 transposes.
      const ld = (<usize>ldb) << 2;
      const r0 = b + ((<usize>(jc + jr) * ldb + pc) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const off = (<usize>p) << 2;
        const d = panel + ((<usize>p) << 5);
        for (let half = 0; half < 2; half++) {
          const base = r0 + <usize>(half * 4) * ld + off;
          storeTransposed4x4(
            d + ((<usize>half) << 4),
            32,
            v128.load(base),
            v128.load(base + ld),
            v128.load(base + 2 * ld),
            v128.load(base + 3 * ld),
          );
        }
      }
      for (; p < kc; p++) {
        const d = panel + ((<usize>p) << 5);
        for (let q = 0; q < NR; q++) {
          store<f32>(d + ((<usize>q) << 2), load<f32>(r0 + <usize>q * ld + ((<usize>p) << 2)));
        }
      }
    } else {
      // A partial panel: column by column, zero-padded.
      for (let q = 0; q < NR; q++) {
        const d = panel + ((<usize>q) << 2);
        if (q < cols) {
          const row = b + ((<usize>(jc + jr + q) * ldb + pc) << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(d + ((<usize>p) << 5), load<f32>(row + ((<usize>p) << 2)));
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d + ((<usize>p) << 5), 0);
        }
      }
    }
  }
}

/** A 4×8 block of C from an MR-panel of A and an NR-panel of B: eight f32x4 accumulators. */
@inline
function microKernel(kc: i32, ap: usize, bp: usize, cp: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = fma4(a0, b0, c00);
    c01 = fma4(a0, b1, c01);
    c10 = fma4(a1, b0, c10);
    c11 = fma4(a1, b1, c11);
    c20 = fma4(a2, b0, c20);
    c21 = fma4(a2, b1, c21);
    c30 = fma4(a3, b0, c30);
    c31 = fma4(a3, b1, c31);
    ap += 16;
    bp += 32;
  }
  const ld = (<usize>ldc) << 2;
  if (add) {
    v128.store(cp, f32x4.add(v128.load(cp), c00));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
    cp += ld;
    v128.store(cp, f32x4.add(v128.load(cp), c10));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
    cp += ld;
    v128.store(cp, f32x4.add(v128.load(cp), c20));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
    cp += ld;
    v128.store(cp, f32x4.add(v128.load(cp), c30));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
  } else {
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    cp += ld;
    v128.store(cp, c10);
    v128.store(cp, c11, 16);
    cp += ld;
    v128.store(cp, c20);
    v128.store(cp, c21, 16);
    cp += ld;
    v128.store(cp, c30);
    v128.store(cp, c31, 16);
  }
}

/** dst[i] += src[i] for i < n: how the K-split GEMM's partial products are summed. */
export function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
  }
}
