import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float16BitsToFloat32Array,
  float32ArrayToFloat16Bits,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from './float16.js';

/** Bit patterns from the IEEE 754 binary16 tables: value, its half bits, and their exact value. */
const HALF_PATTERNS: [number, number, number][] = [
  [0, 0x0000, 0],
  [-0, 0x8000, -0],
  [1, 0x3c00, 1],
  [-2, 0xc000, -2],
  [0.5, 0x3800, 0.5],
  [1 / 3, 0x3555, 0.333251953125],
  [0.1, 0x2e66, 0.0999755859375],
  [Math.PI, 0x4248, 3.140625],
  [65504, 0x7bff, 65504], // largest finite half
  [2 ** -14, 0x0400, 2 ** -14], // smallest normal
  [2 ** -24, 0x0001, 2 ** -24], // smallest subnormal
  [1023 * 2 ** -24, 0x03ff, 1023 * 2 ** -24], // largest subnormal
  [Number.POSITIVE_INFINITY, 0x7c00, Number.POSITIVE_INFINITY],
  [Number.NEGATIVE_INFINITY, 0xfc00, Number.NEGATIVE_INFINITY],
];

describe('float16', () => {
  it.each(HALF_PATTERNS)('encodes %d as its known pattern', (value, bits, decoded) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
    expect(Object.is(float16BitsToFloat32(bits), decoded)).toBe(true);
  });

  it('rounds to nearest, ties to even', () => {
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, even stays
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd rounds up
    expect(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above the tie
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // the tie above the largest half: Infinity
    expect(float32ToFloat16Bits(1e10)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e10)).toBe(0xfc00);
  });

  it('rounds subnormals to nearest even, down to zero and up to the smallest normal', () => {
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie between 0 and 1: even
    expect(float32ToFloat16Bits(2 ** -25 * 1.0001)).toBe(0x0001);
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // tie between 1 and 2: even
    expect(float32ToFloat16Bits(1023.5 * 2 ** -24)).toBe(0x0400); // carries into the exponent
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(float32ToFloat16Bits(-(2 ** -30))).toBe(0x8000);
    expect(float32ToFloat16Bits(1e-45)).toBe(0x0000); // a float32 subnormal
  });

  it('keeps NaN a NaN', () => {
    const bits = float32ToFloat16Bits(Number.NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
    expect(float16BitsToFloat32(0xfc01)).toBeNaN();
  });

  it('round-trips all 65,536 patterns (NaNs stay NaN)', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16BitsToFloat32(bits);
      if (Number.isNaN(value)) {
        expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(value)))).toBe(true);
      } else if (float32ToFloat16Bits(value) !== bits) {
        expect.fail(
          `0x${bits.toString(16)} → ${value} → 0x${float32ToFloat16Bits(value).toString(16)}`,
        );
      }
    }
  });

  it('converts arrays', () => {
    const bits = float32ArrayToFloat16Bits(Float32Array.of(1, 0.5, -2));
    expect(Array.from(bits)).toEqual([0x3c00, 0x3800, 0xc000]);
    expect(Array.from(float16BitsToFloat32Array(bits))).toEqual([1, 0.5, -2]);
  });
});

describe('bfloat16', () => {
  it('encodes known patterns, rounding to nearest even', () => {
    expect(float32ToBfloat16Bits(1)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(-2)).toBe(0xc000);
    expect(float32ToBfloat16Bits(Math.PI)).toBe(0x4049);
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie, even stays
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie, odd rounds up
    expect(float32ToBfloat16Bits(Number.POSITIVE_INFINITY)).toBe(0x7f80);
    expect(float32ToBfloat16Bits(3.4e38)).toBe(0x7f80); // rounds past the largest bfloat16
    expect(bfloat16BitsToFloat32(float32ToBfloat16Bits(Number.NaN))).toBeNaN();
  });

  it('decodes patterns', () => {
    expect(bfloat16BitsToFloat32(0x4049)).toBe(3.140625);
    expect(bfloat16BitsToFloat32(0xff80)).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(bfloat16BitsToFloat32(0x8000), -0)).toBe(true);
  });
});
