/**
 * A packed, register-blocked GEMM in plain TypeScript: C (m×n) = op(A) (m×k) · op(B) (k×n).
 *
 * The structure is the one BLIS and OpenBLAS use, scaled to what V8's JIT keeps in registers:
 * blocks of B (KC×NC) and A (MC×KC) are copied ("packed") into contiguous panels so the inner
 * loop reads memory in order whatever the transposition, and a 4×4 micro-kernel keeps sixteen
 * accumulators in local variables. A naive triple loop runs at about 1 GFLOP/s here; this runs
 * several times faster (see `pnpm bench`).
 */

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 1024;

// Scratch panels reused across calls: GEMM is called every step and should not allocate.
let packedA = new Float32Array(MC * KC);
let packedB = new Float32Array(KC * NC);

/** The operands of `gemm`: C = op(A)·op(B) on row-major matrices inside larger buffers. */
export interface GemmOperands {
  /** Holds A: m×k row-major, or k×m with `transA`. */
  a: Float32Array;
  /** Index of A's first element in `a`. */
  aOffset: number;
  /** Holds B: k×n row-major, or n×k with `transB`. */
  b: Float32Array;
  /** Index of B's first element in `b`. */
  bOffset: number;
  /** Receives C, m×n row-major. */
  c: Float32Array;
  /** Index of C's first element in `c`. */
  cOffset: number;
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** Columns of op(A), rows of op(B). */
  k: number;
  /** Read A transposed. */
  transA: boolean;
  /** Read B transposed. */
  transB: boolean;
}

/** Writes op(A)·op(B) into C (C's previous contents are overwritten). */
export function gemm(o: GemmOperands): void {
  const { m, n, k, c, cOffset } = o;
  c.fill(0, cOffset, cOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      const ncPadded = Math.ceil(nc / NR) * NR;
      if (packedB.length < kc * ncPadded) packedB = new Float32Array(kc * ncPadded);
      packB(o, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mcPadded = Math.ceil(mc / MR) * MR;
        if (packedA.length < kc * mcPadded) packedA = new Float32Array(kc * mcPadded);
        packA(o, pc, kc, ic, mc);
        for (let jr = 0; jr < nc; jr += NR) {
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(
              kc,
              ir * kc,
              jr * kc,
              c,
              cOffset + (ic + ir) * n + jc + jr,
              n,
              Math.min(MR, mc - ir),
              Math.min(NR, nc - jr),
            );
          }
        }
      }
    }
  }
}

/** Copies op(A)[ic..ic+mc, pc..pc+kc] into MR-row panels, k-major, zero-padded to MR rows. */
function packA(o: GemmOperands, pc: number, kc: number, ic: number, mc: number): void {
  const { a, aOffset, transA, m, k } = o;
  const dst = packedA;
  for (let ir = 0; ir < mc; ir += MR) {
    const panel = ir * kc;
    const rows = Math.min(MR, mc - ir);
    for (let r = 0; r < MR; r++) {
      const i = ic + ir + r;
      if (r >= rows) {
        for (let p = 0; p < kc; p++) dst[panel + p * MR + r] = 0;
      } else if (transA) {
        // op(A)[i, p] = A[p, i], A stored k×m.
        let src = aOffset + pc * m + i;
        for (let p = 0; p < kc; p++, src += m) dst[panel + p * MR + r] = a[src]!;
      } else {
        let src = aOffset + i * k + pc;
        for (let p = 0; p < kc; p++, src++) dst[panel + p * MR + r] = a[src]!;
      }
    }
  }
}

/** Copies op(B)[pc..pc+kc, jc..jc+nc] into NR-column panels, k-major, zero-padded to NR columns. */
function packB(o: GemmOperands, pc: number, kc: number, jc: number, nc: number): void {
  const { b, bOffset, transB, n, k } = o;
  const dst = packedB;
  for (let jr = 0; jr < nc; jr += NR) {
    const panel = jr * kc;
    const cols = Math.min(NR, nc - jr);
    for (let q = 0; q < NR; q++) {
      const j = jc + jr + q;
      if (q >= cols) {
        for (let p = 0; p < kc; p++) dst[panel + p * NR + q] = 0;
      } else if (transB) {
        // op(B)[p, j] = B[j, p], B stored n×k.
        let src = bOffset + j * k + pc;
        for (let p = 0; p < kc; p++, src++) dst[panel + p * NR + q] = b[src]!;
      } else {
        let src = bOffset + pc * n + j;
        for (let p = 0; p < kc; p++, src += n) dst[panel + p * NR + q] = b[src]!;
      }
    }
  }
}

/** C[4×4 block] = C[4×4 block]! + Apanel · Bpanel, with the sixteen sums held in locals. */
function microKernel(
  kc: number,
  aStart: number,
  bStart: number,
  c: Float32Array,
  cStart: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  const A = packedA;
  const B = packedB;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  let ai = aStart;
  let bi = bStart;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = A[ai]!,
      a1 = A[ai + 1]!,
      a2 = A[ai + 2]!,
      a3 = A[ai + 3]!;
    const b0 = B[bi]!,
      b1 = B[bi + 1]!,
      b2 = B[bi + 2]!,
      b3 = B[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (rows === MR && cols === NR) {
    let r = cStart;
    c[r] = c[r]! + c00;
    c[r + 1] = c[r + 1]! + c01;
    c[r + 2] = c[r + 2]! + c02;
    c[r + 3] = c[r + 3]! + c03;
    r += ldc;
    c[r] = c[r]! + c10;
    c[r + 1] = c[r + 1]! + c11;
    c[r + 2] = c[r + 2]! + c12;
    c[r + 3] = c[r + 3]! + c13;
    r += ldc;
    c[r] = c[r]! + c20;
    c[r + 1] = c[r + 1]! + c21;
    c[r + 2] = c[r + 2]! + c22;
    c[r + 3] = c[r + 3]! + c23;
    r += ldc;
    c[r] = c[r]! + c30;
    c[r + 1] = c[r + 1]! + c31;
    c[r + 2] = c[r + 2]! + c32;
    c[r + 3] = c[r + 3]! + c33;
    return;
  }
  const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++)
      c[cStart + i * ldc + j] = c[cStart + i * ldc + j]! + block[i * NR + j]!;
  }
}
