import type { WindowGeometry } from '@scratchnet/tensor';

/**
 * The geometry struct the window and convolution kernels take a pointer to: these fields as
 * int32, in this order. assembly/geometry.ts reads the same layout (its `Geometry` class).
 */
export const GEOMETRY_FIELDS = [
  'n',
  'c',
  'h',
  'w',
  'kh',
  'kw',
  'strideH',
  'strideW',
  'padH',
  'padW',
  'outH',
  'outW',
] as const satisfies readonly (keyof WindowGeometry)[];

/** Writes `g` as the kernels' geometry struct at byte address `at` of `i32`'s memory; returns `at`. */
export function writeGeometry(i32: Int32Array, at: number, g: WindowGeometry): number {
  let i = at >> 2;
  for (const field of GEOMETRY_FIELDS) i32[i++] = g[field];
  return at;
}
