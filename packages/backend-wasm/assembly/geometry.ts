// The window geometry: one struct of 12 i32 that the window and convolution kernels take a
// pointer to, written by the JavaScript side into the calling thread's scratch block
// (src/geometry.ts, GEOMETRY_FIELDS: the same layout). Byte offsets of its fields:

export const G_N: usize = 0;
export const G_C: usize = 4;
export const G_H: usize = 8;
export const G_W: usize = 12;
export const G_KH: usize = 16;
export const G_KW: usize = 20;
export const G_STRIDE_H: usize = 24;
export const G_STRIDE_W: usize = 28;
export const G_PAD_H: usize = 32;
export const G_PAD_W: usize = 36;
export const G_OUT_H: usize = 40;
export const G_OUT_W: usize = 44;
