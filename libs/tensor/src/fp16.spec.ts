import { describe, expect, it } from 'vitest';
import { float32ToFp16Bits, fp16BitsToFloat32 } from './fp16';

describe('FP16', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite half
    [65520, 0x7c00], // halfway to the next step past 65504: ties to even -> infinity
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly half of it: ties to even -> 0
    [3 * 2 ** -26, 0x0001], // just above half of it: rounds up
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], // tie between 1 and 1+2^-10: even mantissa wins
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 1+2^-10 and 1+2^-9: even mantissa wins
    [-0, 0x8000],
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [1e-10, 0x0000],
  ])('%d encodes to 0x%s', (value, bits) => {
    expect(float32ToFp16Bits(value).toString(16)).toBe(bits.toString(16));
  });

  it('encodes NaN as a NaN', () => {
    const bits = float32ToFp16Bits(Number.NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
    expect(fp16BitsToFloat32(bits)).toBeNaN();
  });

  it.each([
    [0x3c00, 1],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0xc000, -2],
    [0x7c00, Number.POSITIVE_INFINITY],
  ])('0x%s decodes to %d', (bits, value) => {
    expect(fp16BitsToFloat32(bits)).toBe(value);
  });

  it('round-trips every one of the 65,536 bit patterns (NaNs stay NaN)', () => {
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = fp16BitsToFloat32(bits);
      if (Number.isNaN(value)) expect(Number.isNaN(fp16BitsToFloat32(float32ToFp16Bits(value)))).toBe(true);
      else expect(float32ToFp16Bits(value)).toBe(bits);
    }
  });

  it('rounds every midpoint between neighbouring halves to the even one', () => {
    for (let bits = 0; bits < 0x7bff; bits++) {
      const midpoint = (fp16BitsToFloat32(bits) + fp16BitsToFloat32(bits + 1)) / 2;
      expect(float32ToFp16Bits(midpoint)).toBe(bits % 2 === 0 ? bits : bits + 1);
    }
  });
});
