// The window geometry: one struct of 12 i32 that the window and convolution kernels take a
// pointer to, written by the JavaScript side into the calling thread's scratch block
// (src/geometry.ts, GEOMETRY_FIELDS: the same fields in the same order). A kernel reads it
// through this class: `const g = geometryAt(geometry)`, then `g.kh`.

@unmanaged
export class Geometry {
  n: i32;
  c: i32;
  h: i32;
  w: i32;
  kh: i32;
  kw: i32;
  strideH: i32;
  strideW: i32;
  padH: i32;
  padW: i32;
  outH: i32;
  outW: i32;
}

/** The struct at `ptr`, read field by field (`g.outH`): no copy. */
@inline
export function geometryAt(ptr: usize): Geometry {
  return changetype<Geometry>(ptr);
}
