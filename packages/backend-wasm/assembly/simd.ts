// SIMD helpers shared by several kernel families (internal: not re-exported by index.ts).

/**
 * A 4×4 transpose: four rows of four floats (x0…x3) become four columns, stored `step` bytes
 * apart from `dst` (row i of the result is (x0[i], x1[i], x2[i], x3[i])).
 */
@inline
export function storeTransposed4x4(dst: usize, step: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/** dst[i] = src[i] for i < n, four at a time. */
@inline
export function copyFloats(dst: usize, src: usize, n: i32): void {
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

/**
 * `planes` planes of h × w floats from `src` into zeros of hp × wp floats at `dst`, each placed
 * `pad` rows down and `pad` columns in.
 */
export function padPlanes(dst: usize, src: usize, planes: i32, h: i32, w: i32, hp: i32, wp: i32, pad: i32): void {
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
