// The kernels of @scratchnet/backend-wasm, in AssemblyScript. Every function works on raw
// pointers into the (imported, possibly shared) memory; the JavaScript side owns allocation.
// Nothing here allocates or keeps state in memory, so many instances (one per worker) can run on
// one shared memory at once as long as they write to disjoint outputs.
//
// One source, two builds: `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant, so the relaxed
// build's micro-kernel uses fused multiply-add and the portable build a multiply and an add.

// ------------------------------------------------------------------------------------------------
// Memory layout

/** Where the JavaScript allocator may start: past this module's own (empty) static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

// ------------------------------------------------------------------------------------------------
// GEMM: C (m×n) = op(A) (m×k) · op(B) (k×n), packed and register-blocked (BLIS structure).

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

/**
 * A 4×4 transpose: four rows of four floats (x0…x3) become four columns, stored `step` bytes
 * apart from `dst` (row i of the result is (x0[i], x1[i], x2[i], x3[i])).
 */
@inline
function storeTransposed4x4(dst: usize, step: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
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

// ------------------------------------------------------------------------------------------------
// Elementwise

export function fill(out: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + ((<usize>i) << 2), v);
  for (; i < n; i++) store<f32>(out + ((<usize>i) << 2), value);
}

// Unary op codes (the order of UNARY_OPS in the JavaScript side).
const U_NEG = 0;
const U_EXP = 1;
const U_LOG = 2;
const U_SQRT = 3;
const U_ABS = 4;
const U_RELU = 5;
const U_SIGMOID = 6;
const U_TANH = 7;

export function unary(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (op == U_NEG || op == U_SQRT || op == U_ABS || op == U_RELU) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const off = (<usize>i) << 2;
      const v = v128.load(x + off);
      let r: v128;
      if (op == U_NEG) r = f32x4.neg(v);
      else if (op == U_SQRT) r = f32x4.sqrt(v);
      else if (op == U_ABS) r = f32x4.abs(v);
      // relu: max(v, 0) with NaN kept (f32x4.max propagates NaN); −0 becomes 0 as Math.max.
      else r = f32x4.max(v, zero);
      v128.store(out + off, r);
    }
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    const v = load<f32>(x + off);
    let r: f32;
    switch (op) {
      case U_NEG:
        r = -v;
        break;
      case U_EXP:
        r = <f32>Math.exp(<f64>v);
        break;
      case U_LOG:
        r = <f32>Math.log(<f64>v);
        break;
      case U_SQRT:
        r = Mathf.sqrt(v);
        break;
      case U_ABS:
        r = Mathf.abs(v);
        break;
      case U_RELU:
        r = max<f32>(v, 0);
        break;
      case U_SIGMOID: {
        const d = <f64>v;
        r = <f32>(d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d)));
        break;
      }
      default:
        r = <f32>Math.tanh(<f64>v);
    }
    store<f32>(out + off, r);
  }
}

// Binary op codes (the order of BINARY_OPS in the JavaScript side).
const B_ADD = 0;
const B_SUB = 1;
const B_MUL = 2;
const B_DIV = 3;
const B_POW = 4;
const B_MAX = 5;
const B_MIN = 6;
const B_EQ = 7;
const B_NE = 8;
const B_LT = 9;
const B_LE = 10;
const B_GT = 11;
const B_GE = 12;
const B_RELU_GRAD = 13;

@inline
function scalarOp(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD:
      return a + b;
    case B_SUB:
      return a - b;
    case B_MUL:
      return a * b;
    case B_DIV:
      return a / b;
    case B_POW:
      return <f32>Math.pow(<f64>a, <f64>b);
    case B_MAX:
      return max<f32>(a, b);
    case B_MIN:
      return min<f32>(a, b);
    case B_EQ:
      return a == b ? 1 : 0;
    case B_NE:
      return a != b ? 1 : 0;
    case B_LT:
      return a < b ? 1 : 0;
    case B_LE:
      return a <= b ? 1 : 0;
    case B_GT:
      return a > b ? 1 : 0;
    case B_RELU_GRAD:
      return b > 0 ? a : 0;
    default:
      return a >= b ? 1 : 0;
  }
}

@inline
function vectorOp(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case B_ADD:
      return f32x4.add(a, b);
    case B_SUB:
      return f32x4.sub(a, b);
    case B_MUL:
      return f32x4.mul(a, b);
    case B_DIV:
      return f32x4.div(a, b);
    case B_MAX:
      return f32x4.max(a, b);
    case B_MIN:
      return f32x4.min(a, b);
    case B_EQ:
      return v128.and(f32x4.eq(a, b), one);
    case B_NE:
      return v128.and(f32x4.ne(a, b), one);
    case B_LT:
      return v128.and(f32x4.lt(a, b), one);
    case B_LE:
      return v128.and(f32x4.le(a, b), one);
    case B_GT:
      return v128.and(f32x4.gt(a, b), one);
    case B_RELU_GRAD:
      // The lanes of a where b > 0 (all ones), +0 elsewhere.
      return v128.and(a, f32x4.gt(b, f32x4.splat(0)));
    default:
      return v128.and(f32x4.ge(a, b), one);
  }
}

/** out[j] = a[j·sa] op b[j·sb] for j < n, for one op (a constant once inlined). */
@inline
function binaryRowOp(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let j = 0;
  if (op != B_POW) {
    if (sa == 1 && sb == 1) {
      for (; j + 4 <= n; j += 4) {
        const off = (<usize>j) << 2;
        v128.store(out + off, vectorOp(op, v128.load(a + off), v128.load(b + off)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; j + 4 <= n; j += 4) {
        const off = (<usize>j) << 2;
        v128.store(out + off, vectorOp(op, v128.load(a + off), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; j + 4 <= n; j += 4) {
        const off = (<usize>j) << 2;
        v128.store(out + off, vectorOp(op, va, v128.load(b + off)));
      }
    }
  }
  const stepA = (<usize>sa) << 2;
  const stepB = (<usize>sb) << 2;
  let pa = a + <usize>j * stepA;
  let pb = b + <usize>j * stepB;
  for (; j < n; j++) {
    store<f32>(out + ((<usize>j) << 2), scalarOp(op, load<f32>(pa), load<f32>(pb)));
    pa += stepA;
    pb += stepB;
  }
}

/** out[j] = a[j·sa] op b[j·sb] for j < n: one specialised loop per op. */
function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  switch (op) {
    case B_ADD:
      binaryRowOp(B_ADD, a, sa, b, sb, out, n);
      break;
    case B_SUB:
      binaryRowOp(B_SUB, a, sa, b, sb, out, n);
      break;
    case B_MUL:
      binaryRowOp(B_MUL, a, sa, b, sb, out, n);
      break;
    case B_DIV:
      binaryRowOp(B_DIV, a, sa, b, sb, out, n);
      break;
    case B_POW:
      binaryRowOp(B_POW, a, sa, b, sb, out, n);
      break;
    case B_MAX:
      binaryRowOp(B_MAX, a, sa, b, sb, out, n);
      break;
    case B_MIN:
      binaryRowOp(B_MIN, a, sa, b, sb, out, n);
      break;
    case B_EQ:
      binaryRowOp(B_EQ, a, sa, b, sb, out, n);
      break;
    case B_NE:
      binaryRowOp(B_NE, a, sa, b, sb, out, n);
      break;
    case B_LT:
      binaryRowOp(B_LT, a, sa, b, sb, out, n);
      break;
    case B_LE:
      binaryRowOp(B_LE, a, sa, b, sb, out, n);
      break;
    case B_GT:
      binaryRowOp(B_GT, a, sa, b, sb, out, n);
      break;
    case B_RELU_GRAD:
      binaryRowOp(B_RELU_GRAD, a, sa, b, sb, out, n);
      break;
    default:
      binaryRowOp(B_GE, a, sa, b, sb, out, n);
  }
}

/**
 * Broadcast binary op over an output of `rank` axes. `dims` points at i32 triples per axis:
 * (size, stride in a, stride in b), strides in elements, 0 on broadcast axes.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  if (rank == 0) {
    store<f32>(out, scalarOp(op, load<f32>(a), load<f32>(b)));
    return;
  }
  const last = dims + <usize>(rank - 1) * 12;
  const inner = load<i32>(last);
  const ia = load<i32>(last, 4);
  const ib = load<i32>(last, 8);
  let size: i64 = 1;
  for (let d = 0; d < rank; d++) size *= load<i32>(dims + <usize>d * 12);
  if (size == 0) return;
  // Odometer over the outer axes; the index lives in scratch right after the dims.
  const index = dims + <usize>rank * 12;
  for (let d = 0; d < rank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  let offA: i64 = 0;
  let offB: i64 = 0;
  for (let o: i64 = 0; o < size; o += inner) {
    if ((ia == 0 || ia == 1) && (ib == 0 || ib == 1)) {
      binaryRow(
        op,
        a + (<usize>offA << 2),
        ia,
        b + (<usize>offB << 2),
        ib,
        out + (<usize>o << 2),
        inner,
      );
    } else {
      for (let j = 0; j < inner; j++) {
        store<f32>(
          out + (<usize>(o + j) << 2),
          scalarOp(
            op,
            load<f32>(a + (<usize>(offA + <i64>j * ia) << 2)),
            load<f32>(b + (<usize>(offB + <i64>j * ib) << 2)),
          ),
        );
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims + <usize>d * 12;
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const sa = <i64>load<i32>(dim, 4);
      const sb = <i64>load<i32>(dim, 8);
      offA += sa;
      offB += sb;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      const extent = <i64>load<i32>(dim);
      offA -= sa * extent;
      offB -= sb * extent;
      store<i32>(at, 0);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Reductions

const R_SUM = 0;
const R_MAX = 1;
const R_MIN = 2;

/**
 * Reduces x (shape at `dims`: i32 pairs (size, output stride), output stride 0 on reduced
 * axes) into out, which the caller has initialised (0, −∞ or +∞).
 */
export function reduce(op: i32, x: usize, out: usize, rank: i32, dims: usize): void {
  const last = dims + (<usize>(rank - 1) << 3);
  const inner = load<i32>(last);
  const innerStep = load<i32>(last, 4);
  let size: i64 = 1;
  for (let d = 0; d < rank; d++) size *= load<i32>(dims + (<usize>d << 3));
  if (size == 0) return;
  const index = dims + (<usize>rank << 3);
  for (let d = 0; d < rank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  let dst: i64 = 0;
  for (let src: i64 = 0; src < size; src += inner) {
    const xs = x + (<usize>src << 2);
    const os = out + (<usize>dst << 2);
    if (innerStep == 0) {
      // The whole row goes to one output element.
      let j = 0;
      if (op == R_SUM) {
        let acc = f32x4.splat(0);
        for (; j + 4 <= inner; j += 4) acc = f32x4.add(acc, v128.load(xs + ((<usize>j) << 2)));
        let total =
          f32x4.extract_lane(acc, 0) +
          f32x4.extract_lane(acc, 1) +
          (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; j < inner; j++) total += load<f32>(xs + ((<usize>j) << 2));
        store<f32>(os, load<f32>(os) + total);
      } else {
        let best = load<f32>(os);
        for (; j < inner; j++) {
          const v = load<f32>(xs + ((<usize>j) << 2));
          best = op == R_MAX ? max<f32>(best, v) : min<f32>(best, v);
        }
        store<f32>(os, best);
      }
    } else {
      // The row maps onto a contiguous row of the output.
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const off = (<usize>j) << 2;
        const v = v128.load(xs + off);
        const o = v128.load(os + off);
        v128.store(
          os + off,
          op == R_SUM ? f32x4.add(o, v) : op == R_MAX ? f32x4.max(o, v) : f32x4.min(o, v),
        );
      }
      for (; j < inner; j++) {
        const off = (<usize>j) << 2;
        const v = load<f32>(xs + off);
        const o = load<f32>(os + off);
        store<f32>(os + off, op == R_SUM ? o + v : op == R_MAX ? max<f32>(o, v) : min<f32>(o, v));
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims + (<usize>d << 3);
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const step = <i64>load<i32>(dim, 4);
      dst += step;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      dst -= step * <i64>load<i32>(dim);
      store<i32>(at, 0);
    }
  }
}

/** Index of the first largest (smallest) value along an axis, as a float; NaN counts as extreme. */
export function argReduce(
  isMax: i32,
  x: usize,
  out: usize,
  outer: i32,
  len: i32,
  inner: i32,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * len * inner + i) << 2);
      let best = load<f32>(base);
      let bestIndex = 0;
      for (let j = 1; j < len; j++) {
        if (isNaN(best)) break;
        const v = load<f32>(base + (<usize>(j * inner) << 2));
        if (isNaN(v) || (isMax ? v > best : v < best)) {
          best = v;
          bestIndex = j;
        }
      }
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>bestIndex);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Layout: strided copies (gather, pad, concat)

/**
 * Copies an array of `rank` axes from src to dst; `dims` holds i32 triples per axis (size,
 * source stride, destination stride), in elements. Covers permute, broadcast, slices, and
 * placing a block inside a larger array.
 */
export function stridedCopy(src: usize, dst: usize, rank: i32, dims: usize): void {
  if (rank == 0) {
    store<f32>(dst, load<f32>(src));
    return;
  }
  const last = dims + <usize>(rank - 1) * 12;
  const inner = load<i32>(last);
  const is = load<i32>(last, 4);
  const id = load<i32>(last, 8);
  if (rank >= 2 && id == 1 && is != 1) {
    const prev = last - 12;
    if (load<i32>(prev, 4) == 1 && load<i32>(prev) >= 4 && inner >= 4) {
      // The last two axes are a transpose (permute's NHWC ↔ NCHW): copy in 4×4 blocks.
      stridedTranspose(src, dst, rank, dims);
      return;
    }
  }
  let rows: i64 = 1;
  for (let d = 0; d < rank - 1; d++) rows *= load<i32>(dims + <usize>d * 12);
  if (rows == 0 || inner == 0) return;
  const index = dims + <usize>rank * 12;
  for (let d = 0; d < rank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  let offS: i64 = 0;
  let offD: i64 = 0;
  for (let r: i64 = 0; r < rows; r++) {
    const s = src + (<usize>offS << 2);
    const t = dst + (<usize>offD << 2);
    if (is == 1 && id == 1) {
      memory.copy(t, s, (<usize>inner) << 2);
    } else if (is == 0 && id == 1) {
      fill(t, inner, load<f32>(s));
    } else {
      const ss = (<usize>is) << 2;
      const sd = (<usize>id) << 2;
      let ps = s;
      let pd = t;
      for (let j = 0; j < inner; j++) {
        store<f32>(pd, load<f32>(ps));
        ps += ss;
        pd += sd;
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims + <usize>d * 12;
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const ss = <i64>load<i32>(dim, 4);
      const sd = <i64>load<i32>(dim, 8);
      offS += ss;
      offD += sd;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      const extent = <i64>load<i32>(dim);
      offS -= ss * extent;
      offD -= sd * extent;
      store<i32>(at, 0);
    }
  }
}

/**
 * stridedCopy where the last two axes transpose: dst[r, j] (row stride ld, unit column stride) =
 * src[r + j·is] for each index of the outer axes (an odometer over rank − 2 axes).
 */
function stridedTranspose(src: usize, dst: usize, rank: i32, dims: usize): void {
  const last = dims + <usize>(rank - 1) * 12;
  const prev = last - 12;
  const cols = load<i32>(last);
  const is = load<i32>(last, 4);
  const rows = load<i32>(prev);
  const ld = load<i32>(prev, 8);
  const outerRank = rank - 2;
  let outer: i64 = 1;
  for (let d = 0; d < outerRank; d++) outer *= load<i32>(dims + <usize>d * 12);
  if (outer == 0) return;
  const index = dims + <usize>rank * 12;
  for (let d = 0; d < outerRank; d++) store<i32>(index + ((<usize>d) << 2), 0);
  const srcRow = (<usize>is) << 2;
  const dstRow = (<usize>ld) << 2;
  let offS: i64 = 0;
  let offD: i64 = 0;
  for (let q: i64 = 0; q < outer; q++) {
    const s = src + (<usize>offS << 2);
    const t = dst + (<usize>offD << 2);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        // Four source rows (j..j+3) of four consecutive r become four destination rows.
        const p = s + ((<usize>r) << 2) + <usize>j * srcRow;
        storeTransposed4x4(
          t + <usize>r * dstRow + ((<usize>j) << 2),
          dstRow,
          v128.load(p),
          v128.load(p + srcRow),
          v128.load(p + 2 * srcRow),
          v128.load(p + 3 * srcRow),
        );
      }
      for (; j < cols; j++) {
        const p = s + ((<usize>r) << 2) + <usize>j * srcRow;
        const d = t + <usize>r * dstRow + ((<usize>j) << 2);
        store<f32>(d, load<f32>(p));
        store<f32>(d + dstRow, load<f32>(p, 4));
        store<f32>(d + 2 * dstRow, load<f32>(p, 8));
        store<f32>(d + 3 * dstRow, load<f32>(p, 12));
      }
    }
    for (; r < rows; r++) {
      const d = t + <usize>r * dstRow;
      let p = s + ((<usize>r) << 2);
      for (let j = 0; j < cols; j++) {
        store<f32>(d + ((<usize>j) << 2), load<f32>(p));
        p += srcRow;
      }
    }
    for (let d = outerRank - 1; d >= 0; d--) {
      const dim = dims + <usize>d * 12;
      const at = index + ((<usize>d) << 2);
      const idx = load<i32>(at) + 1;
      const ss = <i64>load<i32>(dim, 4);
      const sd = <i64>load<i32>(dim, 8);
      offS += ss;
      offD += sd;
      if (idx < load<i32>(dim)) {
        store<i32>(at, idx);
        break;
      }
      const extent = <i64>load<i32>(dim);
      offS -= ss * extent;
      offD -= sd * extent;
      store<i32>(at, 0);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Windows: im2col, col2im, pooling. Geometry is passed as scalars.

/** The book's im2col for images [b0, b1) of the batch: rows (n, oy, ox), columns (c, ky, kx). */
export function im2col(
  x: usize,
  cols: usize,
  b0: i32,
  b1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const width = c * kh * kw;
  let dst = cols + (<usize>b0 * outH * outW * width << 2);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - pw;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ch = 0; ch < c; ch++) {
          const plane = x + (<usize>((b * c + ch) * h) * w << 2);
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) {
              memory.fill(dst, 0, (<usize>kw) << 2);
            } else {
              const row = plane + (<usize>(y * w) << 2);
              if (inside) {
                const from = row + ((<usize>x0) << 2);
                if (kw == 3) {
                  // DeepConvNet's 3×3 windows: a call to memory.copy costs more than 12 bytes.
                  store<f32>(dst, load<f32>(from));
                  store<f32>(dst, load<f32>(from, 4), 4);
                  store<f32>(dst, load<f32>(from, 8), 8);
                } else if (kw >= 16) {
                  memory.copy(dst, from, (<usize>kw) << 2);
                } else {
                  for (let kx = 0; kx < kw; kx++) {
                    const off = (<usize>kx) << 2;
                    store<f32>(dst + off, load<f32>(from + off));
                  }
                }
              } else {
                for (let kx = 0; kx < kw; kx++) {
                  const xx = x0 + kx;
                  store<f32>(
                    dst + ((<usize>kx) << 2),
                    xx >= 0 && xx < w ? load<f32>(row + ((<usize>xx) << 2)) : 0,
                  );
                }
              }
            }
            dst += (<usize>kw) << 2;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col for images [b0, b1): the caller zeroes those images first. */
export function col2im(
  cols: usize,
  img: usize,
  b0: i32,
  b1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const width = c * kh * kw;
  let src = cols + (<usize>b0 * outH * outW * width << 2);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - pw;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ch = 0; ch < c; ch++) {
          const plane = img + (<usize>((b * c + ch) * h) * w << 2);
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y >= 0 && y < h && inside) {
              const to = plane + (<usize>(y * w + x0) << 2);
              if (kw == 3) {
                store<f32>(to, load<f32>(to) + load<f32>(src));
                store<f32>(to, load<f32>(to, 4) + load<f32>(src, 4), 4);
                store<f32>(to, load<f32>(to, 8) + load<f32>(src, 8), 8);
              } else {
                for (let kx = 0; kx < kw; kx++) {
                  const off = (<usize>kx) << 2;
                  store<f32>(to + off, load<f32>(to + off) + load<f32>(src + off));
                }
              }
            } else if (y >= 0 && y < h) {
              const row = plane + (<usize>(y * w) << 2);
              for (let kx = 0; kx < kw; kx++) {
                const xx = x0 + kx;
                if (xx >= 0 && xx < w) {
                  const at = row + ((<usize>xx) << 2);
                  store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>kx) << 2)));
                }
              }
            }
            src += (<usize>kw) << 2;
          }
        }
      }
    }
  }
}

/** Offset (in elements, within the plane) of the first maximum of a window, or −1 if all padding. */
@inline
function windowArgmax(
  plane: usize,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  y0: i32,
  x0: i32,
): i32 {
  let best: f32 = -Infinity;
  let at = -1;
  for (let ky = 0; ky < kh; ky++) {
    const y = y0 + ky;
    if (y < 0 || y >= h) continue;
    for (let kx = 0; kx < kw; kx++) {
      const xx = x0 + kx;
      if (xx < 0 || xx >= w) continue;
      const o = y * w + xx;
      const v = load<f32>(plane + ((<usize>o) << 2));
      if (at < 0 || v > best || isNaN(v)) {
        best = v;
        at = o;
        if (isNaN(v)) return at;
      }
    }
  }
  return at;
}

/** Max pooling (mode 0), its backward (mode 1, dx zeroed by the caller), over planes [p0, p1). */
export function maxPool(
  mode: i32,
  x: usize,
  dy: usize,
  out: usize,
  p0: i32,
  p1: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  if (ph == 0 && pw == 0) {
    maxPoolInside(mode, x, dy, out, p0, p1, h, w, kh, kw, sh, sw, outH, outW);
    return;
  }
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const outPlane = (<usize>(p * outH) * outW) << 2;
    const dxPlane = out + (<usize>(p * h) * w << 2);
    let o: usize = 0;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const at = windowArgmax(plane, h, w, kh, kw, oy * sh - ph, ox * sw - pw);
        if (mode == 0) {
          store<f32>(
            out + outPlane + o,
            at < 0 ? -Infinity : load<f32>(plane + ((<usize>at) << 2)),
          );
        } else if (at >= 0) {
          const d = dxPlane + ((<usize>at) << 2);
          store<f32>(d, load<f32>(d) + load<f32>(dy + outPlane + o));
        }
        o += 4;
      }
    }
  }
}

/** Max pooling where every window lies inside the image (no padding): no bounds checks. */
function maxPoolInside(
  mode: i32,
  x: usize,
  dy: usize,
  out: usize,
  p0: i32,
  p1: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  outH: i32,
  outW: i32,
): void {
  const row = (<usize>w) << 2;
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const dxPlane = out + (<usize>(p * h) * w << 2);
    let o = (<usize>(p * outH) * outW) << 2;
    for (let oy = 0; oy < outH; oy++) {
      const top = plane + <usize>(oy * sh) * row;
      if (mode == 0 && kh == 2 && kw == 2 && sw == 2) {
        // The 2×2, stride-2 case: four outputs per step from two rows of eight.
        let ox = 0;
        for (; ox + 4 <= outW; ox += 4) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a0 = v128.load(r0);
          const a1 = v128.load(r0, 16);
          const b0 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const even = f32x4.max(
            v128.shuffle<f32>(a0, a1, 0, 2, 4, 6),
            v128.shuffle<f32>(a0, a1, 1, 3, 5, 7),
          );
          const odd = f32x4.max(
            v128.shuffle<f32>(b0, b1, 0, 2, 4, 6),
            v128.shuffle<f32>(b0, b1, 1, 3, 5, 7),
          );
          v128.store(out + o, f32x4.max(even, odd));
          o += 16;
        }
        for (; ox < outW; ox++) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          store<f32>(
            out + o,
            max<f32>(max<f32>(load<f32>(r0), load<f32>(r0, 4)), max<f32>(load<f32>(r1), load<f32>(r1, 4))),
          );
          o += 4;
        }
        continue;
      }
      if (mode == 1 && kh == 2 && kw == 2 && sw == 2) {
        // Backward of 2×2, stride 2: the first maximum (or first NaN) of each window gets dy.
        // Four windows per step: masks pick the first lane equal to the maximum, in the order
        // top-left, top-right, bottom-left, bottom-right; groups with a NaN go the scalar way.
        let ox = 0;
        for (; ox + 4 <= outW; ox += 4) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a0 = v128.load(r0);
          const a1 = v128.load(r0, 16);
          const b0 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const tl = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
          const tr = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          const bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
          const br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
          const m = f32x4.max(f32x4.max(tl, tr), f32x4.max(bl, br));
          if (v128.any_true(f32x4.ne(m, m))) break;
          const g = v128.load(dy + o);
          const isTl = f32x4.eq(tl, m);
          const isTr = v128.andnot(f32x4.eq(tr, m), isTl);
          const taken = v128.or(isTl, isTr);
          const isBl = v128.andnot(f32x4.eq(bl, m), taken);
          const isBr = v128.not(v128.or(taken, isBl));
          const gTl = v128.and(g, isTl);
          const gTr = v128.and(g, isTr);
          const gBl = v128.and(g, isBl);
          const gBr = v128.and(g, isBr);
          const d0 = dxPlane + (r0 - plane);
          const d1 = d0 + row;
          v128.store(d0, f32x4.add(v128.load(d0), v128.shuffle<f32>(gTl, gTr, 0, 4, 1, 5)));
          v128.store(d0, f32x4.add(v128.load(d0, 16), v128.shuffle<f32>(gTl, gTr, 2, 6, 3, 7)), 16);
          v128.store(d1, f32x4.add(v128.load(d1), v128.shuffle<f32>(gBl, gBr, 0, 4, 1, 5)));
          v128.store(d1, f32x4.add(v128.load(d1, 16), v128.shuffle<f32>(gBl, gBr, 2, 6, 3, 7)), 16);
          o += 16;
        }
        for (; ox < outW; ox++) {
          const r0 = top + ((<usize>(ox * 2)) << 2);
          const r1 = r0 + row;
          const a = load<f32>(r0);
          const b = load<f32>(r0, 4);
          const c = load<f32>(r1);
          const d = load<f32>(r1, 4);
          const m = max<f32>(max<f32>(a, b), max<f32>(c, d));
          let at: usize;
          if (isNaN(m)) at = isNaN(a) ? r0 : isNaN(b) ? r0 + 4 : isNaN(c) ? r1 : r1 + 4;
          else at = a == m ? r0 : b == m ? r0 + 4 : c == m ? r1 : r1 + 4;
          const dst = dxPlane + (at - plane);
          store<f32>(dst, load<f32>(dst) + load<f32>(dy + o));
          o += 4;
        }
        continue;
      }
      for (let ox = 0; ox < outW; ox++) {
        const corner = top + ((<usize>(ox * sw)) << 2);
        let best = load<f32>(corner);
        let at = corner;
        if (!isNaN(best)) {
          for (let ky = 0; ky < kh; ky++) {
            const r = corner + <usize>ky * row;
            let found = false;
            for (let kx = ky == 0 ? 1 : 0; kx < kw; kx++) {
              const v = load<f32>(r + ((<usize>kx) << 2));
              if (v > best || isNaN(v)) {
                best = v;
                at = r + ((<usize>kx) << 2);
                if (isNaN(v)) {
                  found = true;
                  break;
                }
              }
            }
            if (found) break;
          }
        }
        if (mode == 0) {
          store<f32>(out + o, best);
        } else {
          const d = dxPlane + (at - plane);
          store<f32>(d, load<f32>(d) + load<f32>(dy + o));
        }
        o += 4;
      }
    }
  }
}

/** Average pooling (mode 0) or its backward (mode 1, from dy into x, zeroed by the caller). */
export function avgPool(
  mode: i32,
  x: usize,
  out: usize,
  p0: i32,
  p1: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const area = <f32>(kh * kw);
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h) * w << 2);
    const outPlane = out + ((<usize>(p * outH) * outW) << 2);
    let o: usize = 0;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = oy * sh - ph;
        const x0 = ox * sw - pw;
        if (mode == 0) {
          let total: f32 = 0;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) total += load<f32>(plane + ((<usize>(y * w + xx)) << 2));
            }
          }
          store<f32>(outPlane + o, total / area);
        } else {
          // x is dx here and out is dy.
          const share = load<f32>(outPlane + o) / area;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky;
            if (y < 0 || y >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const xx = x0 + kx;
              if (xx >= 0 && xx < w) {
                const d = plane + ((<usize>(y * w + xx)) << 2);
                store<f32>(d, load<f32>(d) + share);
              }
            }
          }
        }
        o += 4;
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Optimizer updates

/**
 * One Adam step over elements [0, n): the float32 operations of the composed ops, in their order
 * (see AdamSpec in @scratchnet/tensor). `hyper` holds seven f32: beta1, 1 − beta1, beta2,
 * 1 − beta2, 1 − beta1^t, 1 − beta2^t, lr, eps (eight, the last two as listed).
 */
export function adam(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  outParam: usize,
  outM: usize,
  outV: usize,
  n: i32,
  hyper: usize,
): void {
  const b1 = load<f32>(hyper);
  const c1 = load<f32>(hyper, 4);
  const b2 = load<f32>(hyper, 8);
  const c2 = load<f32>(hyper, 12);
  const k1 = load<f32>(hyper, 16);
  const k2 = load<f32>(hyper, 20);
  const lr = load<f32>(hyper, 24);
  const eps = load<f32>(hyper, 28);
  const vb1 = f32x4.splat(b1);
  const vc1 = f32x4.splat(c1);
  const vb2 = f32x4.splat(b2);
  const vc2 = f32x4.splat(c2);
  const vk1 = f32x4.splat(k1);
  const vk2 = f32x4.splat(k2);
  const vlr = f32x4.splat(lr);
  const veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    const g = v128.load(grad + off);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + off), vb1), f32x4.mul(g, vc1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + off), vb2), f32x4.mul(f32x4.mul(g, g), vc2));
    v128.store(outM + off, m1);
    v128.store(outV + off, v1);
    const step = f32x4.div(
      f32x4.mul(f32x4.div(m1, vk1), vlr),
      f32x4.add(f32x4.sqrt(f32x4.div(v1, vk2)), veps),
    );
    v128.store(outParam + off, f32x4.sub(v128.load(param + off), step));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    const g = load<f32>(grad + off);
    const m1: f32 = load<f32>(m + off) * b1 + g * c1;
    const v1: f32 = load<f32>(v + off) * b2 + g * g * c2;
    store<f32>(outM + off, m1);
    store<f32>(outV + off, v1);
    const step: f32 = ((m1 / k1) * lr) / (Mathf.sqrt(v1 / k2) + eps);
    store<f32>(outParam + off, load<f32>(param + off) - step);
  }
}

// ------------------------------------------------------------------------------------------------
// Convolution, one image at a time. Each image's columns are laid out (ch, ky, kx) × (oy, ox) in
// a per-thread scratch block small enough to stay in cache (at most a few hundred kilobytes for
// the book's networks), instead of the book's batch-sized (n, oy, ox) × (ch, ky, kx) matrix. With
// that layout the GEMM's output for one image is already [outC, OH·OW], the NCHW order, so no
// transposes are needed, and with a stride of 1 every column row is a shifted copy of an input
// row. Geometry comes as the same scalars as im2col's (without the batch size).

/** dst[i] = src[i] for i < n, four at a time. */
@inline
function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(dst + off, v128.load(src + off));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(dst + off, load<f32>(src + off));
  }
}

/** Whether the columns of an image are the image itself (1×1 filter, stride 1, no padding). */
@inline
function columnsAreImage(kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32): bool {
  return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
}

/**
 * Output rows per chunk: the chunk's columns (taps × rows·OW floats) stay within about 256 KiB,
 * so they are still in the core's L2 cache when the GEMM packs and reads them.
 */
export function convChunkRows(taps: i32, outH: i32, outW: i32): i32 {
  const rows = (65536 / max(1, taps * outW)) as i32;
  return min(outH, max(1, rows));
}

/**
 * The columns of output rows [oy0, oy1) of one image (`add` 0), or their adjoint (`add` 1: each
 * column entry is added back into the image `img`, which the caller has zeroed). Column rows are
 * (ch, ky, kx), each (oy1 − oy0)·outW long.
 */
function imageColumns(
  add: bool,
  img: usize,
  cols: usize,
  oy0: i32,
  oy1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outW: i32,
): void {
  let row = cols;
  const rowBytes = (<usize>outW) << 2;
  for (let ch = 0; ch < c; ch++) {
    const plane = img + (<usize>(ch * h * w) << 2);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        // Output columns ox whose input column ox·sw − pw + kx lies inside the image.
        let lo = 0;
        while (lo < outW && lo * sw - pw + kx < 0) lo++;
        let hi = outW;
        while (hi > lo && (hi - 1) * sw - pw + kx >= w) hi--;
        for (let oy = oy0; oy < oy1; oy++) {
          const y = oy * sh - ph + ky;
          if (y < 0 || y >= h) {
            if (!add) memory.fill(row, 0, rowBytes);
            row += rowBytes;
            continue;
          }
          const from = plane + (<usize>(y * w + lo * sw - pw + kx) << 2);
          const at = row + ((<usize>lo) << 2);
          if (add) {
            if (sw == 1) {
              addInto(from, at, hi - lo);
            } else {
              for (let ox = 0; ox < hi - lo; ox++) {
                const p = from + ((<usize>(ox * sw)) << 2);
                store<f32>(p, load<f32>(p) + load<f32>(at + ((<usize>ox) << 2)));
              }
            }
          } else {
            if (lo > 0) memory.fill(row, 0, (<usize>lo) << 2);
            if (sw == 1) {
              copyFloats(at, from, hi - lo);
            } else {
              for (let ox = 0; ox < hi - lo; ox++) {
                store<f32>(at + ((<usize>ox) << 2), load<f32>(from + ((<usize>(ox * sw)) << 2)));
              }
            }
            if (hi < outW) memory.fill(row + ((<usize>hi) << 2), 0, (<usize>(outW - hi)) << 2);
          }
          row += rowBytes;
        }
      }
    }
  }
}

/**
 * y[b] = W · columns(x[b]) (+ bias, one value per row) for images [b0, b1): W is [outC, taps],
 * y[b] is [outC, OH·OW]. `cols` holds taps·convChunkRows(…)·OW floats for this thread.
 */
export function conv2dForward(
  x: usize,
  wt: usize,
  bias: usize,
  hasBias: i32,
  y: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  cols: usize,
  scratch: usize,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = direct ? outH : convChunkRows(taps, outH, outW);
  for (let b = b0; b < b1; b++) {
    const image = x + (<usize>(b * c * h * w) << 2);
    const out = y + (<usize>(b * outC * plane) << 2);
    if (hasBias) {
      for (let o = 0; o < outC; o++) {
        fill(out + (<usize>(o * plane) << 2), plane, load<f32>(bias + ((<usize>o) << 2)));
      }
    }
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      if (direct) {
        gemm(wt, image + at, out + at, outC, n, taps, taps, plane, plane, 0, 0, hasBias, scratch);
      } else {
        imageColumns(false, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
        gemm(wt, cols, out + at, outC, n, taps, taps, n, plane, 0, 0, hasBias, scratch);
      }
    }
  }
}

/** dx[b] = columns-adjoint(Wᵀ · dy[b]) for images [b0, b1); dx is written whole (not added to). */
export function conv2dInputGrad(
  dy: usize,
  wt: usize,
  dx: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  cols: usize,
  scratch: usize,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = convChunkRows(taps, outH, outW);
  const imageBytes = (<usize>(c * h * w)) << 2;
  for (let b = b0; b < b1; b++) {
    const grad = dy + (<usize>(b * outC * plane) << 2);
    const image = dx + <usize>b * imageBytes;
    if (direct) {
      gemm(wt, grad, image, taps, plane, outC, taps, plane, plane, 1, 0, 0, scratch);
      continue;
    }
    memory.fill(image, 0, imageBytes);
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      gemm(wt, grad + at, cols, taps, n, outC, taps, plane, n, 1, 0, 0, scratch);
      imageColumns(true, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
    }
  }
}

/** dw (+)= Σ over images [b0, b1) of dy[b] · columns(x[b])ᵀ; `accumulate` 0 overwrites dw. */
export function conv2dFilterGrad(
  x: usize,
  dy: usize,
  dw: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  accumulate: i32,
  cols: usize,
  scratch: usize,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
): void {
  const plane = outH * outW;
  const taps = c * kh * kw;
  const direct = columnsAreImage(kh, kw, sh, sw, ph, pw);
  const chunk = direct ? outH : convChunkRows(taps, outH, outW);
  if (b0 >= b1 && !accumulate) memory.fill(dw, 0, (<usize>(outC * taps)) << 2);
  for (let b = b0; b < b1; b++) {
    const image = x + (<usize>(b * c * h * w) << 2);
    const grad = dy + (<usize>(b * outC * plane) << 2);
    for (let oy0 = 0; oy0 < outH; oy0 += chunk) {
      const oy1 = min(outH, oy0 + chunk);
      const n = (oy1 - oy0) * outW;
      const at = (<usize>(oy0 * outW)) << 2;
      const add = accumulate != 0 || b > b0 || oy0 > 0 ? 1 : 0;
      if (direct) {
        gemm(grad + at, image + at, dw, outC, taps, n, plane, plane, taps, 0, 1, add, scratch);
      } else {
        imageColumns(false, image, cols, oy0, oy1, c, h, w, kh, kw, sh, sw, ph, pw, outW);
        gemm(grad + at, cols, dw, outC, taps, n, plane, n, taps, 0, 1, add, scratch);
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1 (Lavin & Gray, 2015). Each 2×2 block of
// outputs ("tile") comes from a 4×4 block of the input: V = Bᵀ·d·B and U = G·g·Gᵀ are 4×4, the
// product is 16 element-wise products summed over channels — 16 GEMMs of outC × C × tiles — and
// Y = Aᵀ·M·A gives the 2×2 outputs: 16 multiply-adds per tile and channel pair instead of 36.
// conv2dInputGrad is the same computation on dy with the filters turned by 180° and transposed.
//
// Per image, the input is first copied into a zero-padded block wide enough that every group of
// four tiles can be read without bounds checks; tiles run in rows of `tilesWp` (tilesW rounded up
// to a multiple of 4), the extra tiles are computed and dropped.

/** Tiles per row, rounded up to a multiple of 4 (the SIMD width of the transforms). */
@inline
function winogradTilesWp(outW: i32): i32 {
  return ((((outW + 1) >> 1) + 3) >> 2) << 2;
}

/** Rows of the zero-padded image: every tile's 4×4 block, and the image at row `pad`. */
@inline
function winogradPaddedRows(h: i32, pad: i32, outH: i32): i32 {
  return max(2 * ((outH + 1) >> 1) + 2, pad + h);
}

/** Columns of the zero-padded image: every group of four tiles' loads, and the image. */
@inline
function winogradPaddedCols(w: i32, pad: i32, outW: i32): i32 {
  return max(2 * winogradTilesWp(outW) + 2, pad + w);
}

/**
 * `planes` planes of h × w floats from `src` into zeros of hp × wp floats at `dst`, each placed
 * `pad` rows down and `pad` columns in.
 */
function padPlanes(dst: usize, src: usize, planes: i32, h: i32, w: i32, hp: i32, wp: i32, pad: i32): void {
  memory.fill(dst, 0, <usize>(planes * hp * wp) << 2);
  for (let p = 0; p < planes; p++) {
    for (let r = 0; r < h; r++) {
      copyFloats(
        dst + (<usize>((p * hp + r + pad) * wp + pad) << 2),
        src + (<usize>((p * h + r) * w) << 2),
        w,
      );
    }
  }
}

/** Rows of tiles per chunk: the chunk's 16·(C + outC)·tiles floats stay within about 512 KiB. */
export function winogradChunkRows(c: i32, outC: i32, outH: i32, outW: i32): i32 {
  const tilesH = (outH + 1) >> 1;
  const rows = (8192 / max(1, (c + outC) * winogradTilesWp(outW))) as i32;
  return min(tilesH, max(1, rows));
}

/** Floats of per-thread scratch: the padded image, then V and M for one chunk of tile rows. */
export function winogradScratchFloats(c: i32, outC: i32, h: i32, w: i32, pad: i32, outH: i32, outW: i32): i32 {
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const tiles = winogradChunkRows(c, outC, outH, outW) * tilesWp;
  return c * hp * wp + 16 * (c + outC) * tiles;
}

/** g[r][s] of a 3×3 filter, or of the filter turned by 180° (`flip`). */
@inline
function filterTap(g: usize, flip: i32, r: i32, s: i32): f32 {
  return load<f32>(g + ((<usize>(flip ? (2 - r) * 3 + (2 - s) : r * 3 + s)) << 2));
}

/**
 * U = G·g·Gᵀ for every filter: u[ξ][o][ch] (ξ = 4·i + j) from w [outC, C, 3, 3]. With `flip`,
 * the filters for conv2dInputGrad instead: u[ξ][ch][o] from w[o][ch] turned by 180°.
 */
export function winogradFilters(wt: usize, u: usize, outC: i32, c: i32, flip: i32): void {
  const plane = <usize>(outC * c);
  for (let o = 0; o < outC; o++) {
    for (let ch = 0; ch < c; ch++) {
      const g = wt + (<usize>((o * c + ch) * 9) << 2);
      // t = G·g (4×3), then U = t·Gᵀ (4×4); G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
      const dst = u + ((<usize>(flip ? ch * outC + o : o * c + ch)) << 2);
      for (let i = 0; i < 4; i++) {
        let t0: f32, t1: f32, t2: f32;
        if (i == 0) {
          t0 = filterTap(g, flip, 0, 0);
          t1 = filterTap(g, flip, 0, 1);
          t2 = filterTap(g, flip, 0, 2);
        } else if (i == 3) {
          t0 = filterTap(g, flip, 2, 0);
          t1 = filterTap(g, flip, 2, 1);
          t2 = filterTap(g, flip, 2, 2);
        } else {
          const sign: f32 = i == 1 ? 1 : -1;
          t0 = 0.5 * (filterTap(g, flip, 0, 0) + sign * filterTap(g, flip, 1, 0) + filterTap(g, flip, 2, 0));
          t1 = 0.5 * (filterTap(g, flip, 0, 1) + sign * filterTap(g, flip, 1, 1) + filterTap(g, flip, 2, 1));
          t2 = 0.5 * (filterTap(g, flip, 0, 2) + sign * filterTap(g, flip, 1, 2) + filterTap(g, flip, 2, 2));
        }
        const row = dst + ((<usize>(4 * i) * plane) << 2);
        store<f32>(row, t0);
        store<f32>(row + (plane << 2), 0.5 * (t0 + t1 + t2));
        store<f32>(row + (2 * plane << 2), 0.5 * (t0 - t1 + t2));
        store<f32>(row + (3 * plane << 2), t2);
      }
    }
  }
}

/**
 * Output tiles for images [b0, b1): y[b] (+)= Winograd(x[b], u), plus a bias per output channel.
 * x[b] is [c, h, w], y[b] is [outC, outH, outW] with outH = h + 2·pad − 2. `work` holds
 * winogradScratchFloats(…) floats for this thread.
 */
export function conv2dWinograd(
  x: usize,
  u: usize,
  bias: usize,
  hasBias: i32,
  y: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  work: usize,
  scratch: usize,
  c: i32,
  h: i32,
  w: i32,
  pad: i32,
  outH: i32,
  outW: i32,
): void {
  const tilesW = (outW + 1) >> 1;
  const tilesH = (outH + 1) >> 1;
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const chunk = winogradChunkRows(c, outC, outH, outW);
  const padded = work;
  const v = padded + (<usize>(c * hp * wp) << 2);
  const m = v + (<usize>(16 * c * chunk * tilesWp) << 2);
  for (let b = b0; b < b1; b++) {
    padPlanes(padded, x + (<usize>(b * c * h * w) << 2), c, h, w, hp, wp, pad);
    const out = y + (<usize>(b * outC * outH * outW) << 2);
    for (let ty0 = 0; ty0 < tilesH; ty0 += chunk) {
      const ty1 = min(tilesH, ty0 + chunk);
      const tiles = (ty1 - ty0) * tilesWp;
      winogradInput(padded, v, c, hp, wp, ty0, ty1, tilesWp, tiles);
      for (let xi = 0; xi < 16; xi++) {
        gemm(
          u + (<usize>(xi * outC * c) << 2),
          v + (<usize>(xi * c * tiles) << 2),
          m + (<usize>(xi * outC * tiles) << 2),
          outC,
          tiles,
          c,
          c,
          tiles,
          tiles,
          0,
          0,
          0,
          scratch,
        );
      }
      winogradOutput(m, out, bias, hasBias, outC, outH, outW, ty0, ty1, tilesW, tilesWp, tiles);
    }
  }
}

/** v[ξ][ch][tile] = (Bᵀ·d·B)[ξ] for tile rows [ty0, ty1), four tiles at a time. */
function winogradInput(
  padded: usize,
  v: usize,
  c: i32,
  hp: i32,
  wp: i32,
  ty0: i32,
  ty1: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(c * tiles)) << 2;
  for (let ch = 0; ch < c; ch++) {
    const plane = padded + (<usize>(ch * hp * wp) << 2);
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesWp; tx += 4) {
        // Lane l holds tile tx + l; d[r][j] = input row 2ty + r, column 2(tx + l) + j.
        let base = plane + (<usize>(2 * ty * wp + 2 * tx) << 2);
        const rowBytes = (<usize>wp) << 2;
        // Rows of Bᵀ·d: t0 = d0 − d2, t1 = d1 + d2, t2 = d2 − d1, t3 = d1 − d3, per column j.
        const a0 = v128.load(base);
        const a1 = v128.load(base, 16);
        const a2 = v128.load(base, 8);
        const a3 = v128.load(base, 24);
        base += rowBytes;
        const b0 = v128.load(base);
        const b1 = v128.load(base, 16);
        const b2 = v128.load(base, 8);
        const b3 = v128.load(base, 24);
        base += rowBytes;
        const c0 = v128.load(base);
        const c1 = v128.load(base, 16);
        const c2 = v128.load(base, 8);
        const c3 = v128.load(base, 24);
        base += rowBytes;
        const e0 = v128.load(base);
        const e1 = v128.load(base, 16);
        const e2 = v128.load(base, 8);
        const e3 = v128.load(base, 24);
        // Even and odd columns: column j of tile l is element 2l + j.
        const d00 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const d01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const d02 = v128.shuffle<f32>(a2, a3, 0, 2, 4, 6);
        const d03 = v128.shuffle<f32>(a2, a3, 1, 3, 5, 7);
        const d10 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const d11 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const d12 = v128.shuffle<f32>(b2, b3, 0, 2, 4, 6);
        const d13 = v128.shuffle<f32>(b2, b3, 1, 3, 5, 7);
        const d20 = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6);
        const d21 = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7);
        const d22 = v128.shuffle<f32>(c2, c3, 0, 2, 4, 6);
        const d23 = v128.shuffle<f32>(c2, c3, 1, 3, 5, 7);
        const d30 = v128.shuffle<f32>(e0, e1, 0, 2, 4, 6);
        const d31 = v128.shuffle<f32>(e0, e1, 1, 3, 5, 7);
        const d32 = v128.shuffle<f32>(e2, e3, 0, 2, 4, 6);
        const d33 = v128.shuffle<f32>(e2, e3, 1, 3, 5, 7);
        const at = v + (<usize>(ch * tiles + (ty - ty0) * tilesWp + tx) << 2);
        winogradInputRow(at, xiStride, 0, f32x4.sub(d00, d20), f32x4.sub(d01, d21), f32x4.sub(d02, d22), f32x4.sub(d03, d23));
        winogradInputRow(at, xiStride, 4, f32x4.add(d10, d20), f32x4.add(d11, d21), f32x4.add(d12, d22), f32x4.add(d13, d23));
        winogradInputRow(at, xiStride, 8, f32x4.sub(d20, d10), f32x4.sub(d21, d11), f32x4.sub(d22, d12), f32x4.sub(d23, d13));
        winogradInputRow(at, xiStride, 12, f32x4.sub(d10, d30), f32x4.sub(d11, d31), f32x4.sub(d12, d32), f32x4.sub(d13, d33));
      }
    }
  }
}

/** One row i of Bᵀ·d·B: (t0 − t2, t1 + t2, t2 − t1, t1 − t3) into v[ξ0 .. ξ0 + 3]. */
@inline
function winogradInputRow(at: usize, xiStride: usize, xi0: i32, t0: v128, t1: v128, t2: v128, t3: v128): void {
  const p = at + <usize>xi0 * xiStride;
  v128.store(p, f32x4.sub(t0, t2));
  v128.store(p + xiStride, f32x4.add(t1, t2));
  v128.store(p + 2 * xiStride, f32x4.sub(t2, t1));
  v128.store(p + 3 * xiStride, f32x4.sub(t1, t3));
}

/** y = Aᵀ·M·A (+ bias) for tile rows [ty0, ty1): 2×2 outputs per tile, four tiles at a time. */
function winogradOutput(
  m: usize,
  out: usize,
  bias: usize,
  hasBias: i32,
  outC: i32,
  outH: i32,
  outW: i32,
  ty0: i32,
  ty1: i32,
  tilesW: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(outC * tiles)) << 2;
  for (let o = 0; o < outC; o++) {
    const shift = f32x4.splat(hasBias ? load<f32>(bias + ((<usize>o) << 2)) : 0);
    const plane = out + (<usize>(o * outH * outW) << 2);
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const at = m + (<usize>(o * tiles + (ty - ty0) * tilesWp + tx) << 2);
        // Aᵀ = [1 1 1 0; 0 1 −1 −1]: first over i (rows of M), then over j.
        let s00 = v128.load(at);
        let s01 = v128.load(at + xiStride);
        let s02 = v128.load(at + 2 * xiStride);
        let s03 = v128.load(at + 3 * xiStride);
        const m10 = v128.load(at + 4 * xiStride);
        const m11 = v128.load(at + 5 * xiStride);
        const m12 = v128.load(at + 6 * xiStride);
        const m13 = v128.load(at + 7 * xiStride);
        const m20 = v128.load(at + 8 * xiStride);
        const m21 = v128.load(at + 9 * xiStride);
        const m22 = v128.load(at + 10 * xiStride);
        const m23 = v128.load(at + 11 * xiStride);
        const m30 = v128.load(at + 12 * xiStride);
        const m31 = v128.load(at + 13 * xiStride);
        const m32 = v128.load(at + 14 * xiStride);
        const m33 = v128.load(at + 15 * xiStride);
        const s10 = f32x4.sub(f32x4.sub(m10, m20), m30);
        const s11 = f32x4.sub(f32x4.sub(m11, m21), m31);
        const s12 = f32x4.sub(f32x4.sub(m12, m22), m32);
        const s13 = f32x4.sub(f32x4.sub(m13, m23), m33);
        s00 = f32x4.add(f32x4.add(s00, m10), m20);
        s01 = f32x4.add(f32x4.add(s01, m11), m21);
        s02 = f32x4.add(f32x4.add(s02, m12), m22);
        s03 = f32x4.add(f32x4.add(s03, m13), m23);
        const y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), shift);
        const y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), shift);
        const y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), shift);
        const y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), shift);
        // Lane l is tile tx + l: outputs (2ty + r, 2(tx + l) + s).
        const oy = 2 * ty;
        const ox = 2 * tx;
        const row0 = plane + (<usize>(oy * outW + ox) << 2);
        const row1 = row0 + ((<usize>outW) << 2);
        const lo0 = v128.shuffle<f32>(y00, y01, 0, 4, 1, 5);
        const hi0 = v128.shuffle<f32>(y00, y01, 2, 6, 3, 7);
        const lo1 = v128.shuffle<f32>(y10, y11, 0, 4, 1, 5);
        const hi1 = v128.shuffle<f32>(y10, y11, 2, 6, 3, 7);
        const bottom = oy + 1 < outH;
        if (ox + 8 <= outW) {
          v128.store(row0, lo0);
          v128.store(row0, hi0, 16);
          if (bottom) {
            v128.store(row1, lo1);
            v128.store(row1, hi1, 16);
          }
        } else {
          // The right edge: only the columns that exist.
          const count = outW - ox;
          for (let q = 0; q < count; q++) {
            const off = (<usize>q) << 2;
            store<f32>(row0 + off, winogradLane(lo0, hi0, q));
            if (bottom) store<f32>(row1 + off, winogradLane(lo1, hi1, q));
          }
        }
      }
    }
  }
}

/** Element q (0..7) of the pair (lo, hi). */
@inline
function winogradLane(lo: v128, hi: v128, q: i32): f32 {
  switch (q) {
    case 0:
      return f32x4.extract_lane(lo, 0);
    case 1:
      return f32x4.extract_lane(lo, 1);
    case 2:
      return f32x4.extract_lane(lo, 2);
    case 3:
      return f32x4.extract_lane(lo, 3);
    case 4:
      return f32x4.extract_lane(hi, 0);
    case 5:
      return f32x4.extract_lane(hi, 1);
    case 6:
      return f32x4.extract_lane(hi, 2);
    default:
      return f32x4.extract_lane(hi, 3);
  }
}

// The weight gradient by the same transforms (F(3×3, 2×2), the transpose of F(2×2, 3×3)): for a
// tile of 2×2 output gradients E and the 4×4 input block D under it, its 3×3 contribution is
// Gᵀ·[(A·E·Aᵀ) ⊙ (Bᵀ·D·B)]·G. Summed over tiles and images, the bracket is 16 GEMMs of
// outC × tiles × C; the transform back to 3×3 happens once at the end (winogradFilterGradients).

/** Floats of per-thread scratch for conv2dWinogradFilterGrad. */
export function winogradFilterGradScratchFloats(
  c: i32,
  outC: i32,
  h: i32,
  w: i32,
  pad: i32,
  outH: i32,
  outW: i32,
): i32 {
  const tilesH = (outH + 1) >> 1;
  return (
    winogradScratchFloats(c, outC, h, w, pad, outH, outW) +
    outC * 2 * tilesH * 2 * winogradTilesWp(outW)
  );
}

/**
 * s[ξ][o][ch] (+)= Σ over images [b0, b1) and tiles of (A·E·Aᵀ)[ξ] · (Bᵀ·D·B)[ξ], where E is a 2×2
 * block of dy[b][o] and D the 4×4 block of x[b][ch] under it. `accumulate` 0 overwrites s.
 */
export function conv2dWinogradFilterGrad(
  x: usize,
  dy: usize,
  s: usize,
  b0: i32,
  b1: i32,
  outC: i32,
  accumulate: i32,
  work: usize,
  scratch: usize,
  c: i32,
  h: i32,
  w: i32,
  pad: i32,
  outH: i32,
  outW: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesWp = winogradTilesWp(outW);
  const hp = winogradPaddedRows(h, pad, outH);
  const wp = winogradPaddedCols(w, pad, outW);
  const chunk = winogradChunkRows(c, outC, outH, outW);
  const dyH = 2 * tilesH;
  const dyW = 2 * tilesWp;
  const padded = work;
  const v = padded + (<usize>(c * hp * wp) << 2);
  const e = v + (<usize>(16 * c * chunk * tilesWp) << 2);
  const paddedDy = e + (<usize>(16 * outC * chunk * tilesWp) << 2);
  if (b0 >= b1 && !accumulate) memory.fill(s, 0, (<usize>(16 * outC * c)) << 2);
  for (let b = b0; b < b1; b++) {
    padPlanes(padded, x + (<usize>(b * c * h * w) << 2), c, h, w, hp, wp, pad);
    // dy in whole tiles, zero beyond the last row and column.
    const grad = dy + (<usize>(b * outC * outH * outW) << 2);
    padPlanes(paddedDy, grad, outC, outH, outW, dyH, dyW, 0);
    for (let ty0 = 0; ty0 < tilesH; ty0 += chunk) {
      const ty1 = min(tilesH, ty0 + chunk);
      const tiles = (ty1 - ty0) * tilesWp;
      winogradInput(padded, v, c, hp, wp, ty0, ty1, tilesWp, tiles);
      winogradGradientTiles(paddedDy, e, outC, dyH, dyW, ty0, ty1, tilesWp, tiles);
      const add = accumulate != 0 || b > b0 || ty0 > 0 ? 1 : 0;
      for (let xi = 0; xi < 16; xi++) {
        gemm(
          e + (<usize>(xi * outC * tiles) << 2),
          v + (<usize>(xi * c * tiles) << 2),
          s + (<usize>(xi * outC * c) << 2),
          outC,
          c,
          tiles,
          tiles,
          tiles,
          c,
          0,
          1,
          add,
          scratch,
        );
      }
    }
  }
}

/** e[ξ][o][tile] = (A·E·Aᵀ)[ξ] for tile rows [ty0, ty1), four tiles at a time. */
function winogradGradientTiles(
  dy: usize,
  e: usize,
  outC: i32,
  dyH: i32,
  dyW: i32,
  ty0: i32,
  ty1: i32,
  tilesWp: i32,
  tiles: i32,
): void {
  const xiStride = (<usize>(outC * tiles)) << 2;
  for (let o = 0; o < outC; o++) {
    for (let ty = ty0; ty < ty1; ty++) {
      for (let tx = 0; tx < tilesWp; tx += 4) {
        const row0 = dy + (<usize>((o * dyH + 2 * ty) * dyW + 2 * tx) << 2);
        const row1 = row0 + ((<usize>dyW) << 2);
        const a0 = v128.load(row0);
        const a1 = v128.load(row0, 16);
        const c0 = v128.load(row1);
        const c1 = v128.load(row1, 16);
        // E[i][j] for the four tiles: even and odd columns of rows 2ty and 2ty + 1.
        const e00 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const e01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const e10 = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6);
        const e11 = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7);
        // A = [1 0; 1 1; 1 −1; 0 −1]: rows (E0, E0 + E1, E0 − E1, −E1), then the same across.
        const at = e + (<usize>(o * tiles + (ty - ty0) * tilesWp + tx) << 2);
        winogradGradientRow(at, xiStride, 0, e00, e01);
        winogradGradientRow(at, xiStride, 4, f32x4.add(e00, e10), f32x4.add(e01, e11));
        winogradGradientRow(at, xiStride, 8, f32x4.sub(e00, e10), f32x4.sub(e01, e11));
        winogradGradientRow(at, xiStride, 12, f32x4.neg(e10), f32x4.neg(e11));
      }
    }
  }
}

/** One row of A·E·Aᵀ from its two columns (p, q): (p, p + q, p − q, −q) into e[ξ0 .. ξ0 + 3]. */
@inline
function winogradGradientRow(at: usize, xiStride: usize, xi0: i32, p: v128, q: v128): void {
  const to = at + <usize>xi0 * xiStride;
  v128.store(to, p);
  v128.store(to + xiStride, f32x4.add(p, q));
  v128.store(to + 2 * xiStride, f32x4.sub(p, q));
  v128.store(to + 3 * xiStride, f32x4.neg(q));
}

/** dw[o][ch] = Gᵀ·s[·][o][ch]·G: the summed 4×4 products back to 3×3 filter gradients. */
export function winogradFilterGradients(s: usize, dw: usize, outC: i32, c: i32): void {
  const plane = (<usize>(outC * c)) << 2;
  for (let k = 0; k < outC * c; k++) {
    const src = s + ((<usize>k) << 2);
    const dst = dw + ((<usize>(k * 9)) << 2);
    // Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1] on both sides: first down the columns j of S …
    for (let r = 0; r < 3; r++) {
      // … row r of Gᵀ·S is (t0, t1, t2, t3); then row r of the result is that row times G.
      const t0 = gradientColumn(src, plane, 0, r);
      const t1 = gradientColumn(src, plane, 1, r);
      const t2 = gradientColumn(src, plane, 2, r);
      const t3 = gradientColumn(src, plane, 3, r);
      const row = dst + ((<usize>(3 * r)) << 2);
      store<f32>(row, t0 + 0.5 * (t1 + t2));
      store<f32>(row, 0.5 * (t1 - t2), 4);
      store<f32>(row, 0.5 * (t1 + t2) + t3, 8);
    }
  }
}

/** (Gᵀ·S)[r][j] for the 4×4 matrix S whose element (i, j) is at src + (4i + j)·plane. */
@inline
function gradientColumn(src: usize, plane: usize, j: i32, r: i32): f32 {
  const s0 = load<f32>(src + <usize>j * plane);
  const s1 = load<f32>(src + <usize>(4 + j) * plane);
  const s2 = load<f32>(src + <usize>(8 + j) * plane);
  const s3 = load<f32>(src + <usize>(12 + j) * plane);
  if (r == 0) return s0 + 0.5 * (s1 + s2);
  if (r == 1) return 0.5 * (s1 - s2);
  return 0.5 * (s1 + s2) + s3;
}
