// Elementwise: fill, unary ops, broadcast binary ops.

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
