/**
 * IEEE 754 half precision (binary16: 1 sign, 5 exponent, 10 fraction bits) and bfloat16 (the top
 * half of a float32), held as their 16-bit patterns in a number or a Uint16Array.
 */

// One scratch float32 and its bits, to read and write float32 patterns without allocating.
const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/**
 * The half-precision bit pattern nearest to `value` (rounded to float32 first, then to nearest,
 * ties to even). Overflow gives ±Infinity, tiny values become subnormals or ±0, NaN stays NaN.
 *
 * @example
 * float32ToFloat16Bits(1);        // 0x3c00
 * float32ToFloat16Bits(-2);       // 0xc000
 * float32ToFloat16Bits(65504);    // 0x7bff (the largest half)
 * float32ToFloat16Bits(2 ** -24); // 0x0001 (the smallest subnormal)
 */
export function float32ToFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;

  if (exponent === 0xff) {
    // Infinity keeps a zero fraction; NaN keeps its top payload bits and stays quiet (0x200).
    return fraction === 0 ? sign | 0x7c00 : sign | 0x7c00 | 0x200 | (fraction >>> 13);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;

  if (halfExponent <= 0) {
    // Subnormal half: value = m · 2^-24 with m = significand >> (14 − halfExponent).
    if (halfExponent < -10) return sign; // below half the smallest subnormal: ±0
    const significand = fraction | 0x800000;
    const shift = 14 - halfExponent;
    let m = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (m & 1) === 1)) m++;
    return sign | m; // m may round up to 0x400: the smallest normal, correctly encoded
  }

  let half = sign | (halfExponent << 10) | (fraction >>> 13);
  const rest = fraction & 0x1fff;
  // A carry out of the fraction bumps the exponent, which is exactly right (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return half;
}

/**
 * The value of a half-precision bit pattern.
 *
 * @example
 * float16BitsToFloat32(0x3555); // 0.333251953125
 * float16BitsToFloat32(0xfc00); // -Infinity
 */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/**
 * Half-precision patterns of every value.
 * @example float32ArrayToFloat16Bits(Float32Array.of(1, 0.5)); // Uint16Array [0x3c00, 0x3800]
 */
export function float32ArrayToFloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return out;
}

/**
 * The float32 values of half-precision patterns (exact: every half is a float32).
 * @example float16BitsToFloat32Array(Uint16Array.of(0x3c00, 0xc000)); // Float32Array [1, -2]
 */
export function float16BitsToFloat32Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]!);
  return out;
}

/**
 * The bfloat16 pattern nearest to `value` (the float32's top 16 bits, rounded to nearest even).
 * @example float32ToBfloat16Bits(1); // 0x3f80
 */
export function float32ToBfloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0]!;
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
    return (bits >>> 16) | 0x40; // NaN: keep it a (quiet) NaN after truncation
  }
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * The value of a bfloat16 pattern.
 * @example bfloat16BitsToFloat32(0x4049); // 3.140625
 */
export function bfloat16BitsToFloat32(bits: number): number {
  scratchBits[0] = (bits & 0xffff) << 16;
  return scratchFloat[0]!;
}
