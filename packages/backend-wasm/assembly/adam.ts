// Optimizer updates: the fused Adam step.

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
