// IEEE 754 half precision <-> single precision, exact in both directions:
// float32 -> half rounds to nearest, ties to even; half -> float32 is lossless.
const scratch = new DataView(new ArrayBuffer(4));

export function float32ToFp16Bits(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0); // NaN keeps a payload bit
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (halfExponent <= 0) return sign | subnormalHalf(mantissa | 0x800000, 14 - halfExponent);
  return sign | roundShift((halfExponent << 23) | mantissa, 13);
}

/** A value too small for a normal half: shift the full significand right and round. */
function subnormalHalf(significand: number, shift: number): number {
  if (shift > 24) return 0;
  return roundShift(significand, shift);
}

/** `value >> shift`, rounded to nearest with ties to even; a carry may bump the exponent, as it should. */
function roundShift(value: number, shift: number): number {
  const half = 1 << (shift - 1);
  const remainder = value & ((1 << shift) - 1);
  let result = value >>> shift;
  if (remainder > half || (remainder === half && (result & 1) === 1)) result += 1;
  return result;
}

export function fp16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function float32ArrayToFp16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFp16Bits(values[i]);
  return out;
}

export function fp16ToFloat32Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = fp16BitsToFloat32(bits[i]);
  return out;
}
