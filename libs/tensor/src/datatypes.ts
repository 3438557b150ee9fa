/** The KServe V2 / Open Inference Protocol tensor datatypes. */
export const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;

export type Datatype = (typeof DATATYPES)[number];

/** Datatypes held in a fixed-width typed array (all but BYTES). */
export type FixedWidthDatatype = Exclude<Datatype, 'BYTES'>;

export type NumericArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

type NumericArrayConstructor = {
  new (length: number): NumericArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * How each datatype is stored. BOOL is one byte per element (0 or 1); FP16 keeps the IEEE half
 * bit patterns in a Uint16Array (JavaScript has no float16 array on Node 20); 64-bit integers are
 * BigInt arrays so no value is rounded.
 */
export const STORAGE: Record<FixedWidthDatatype, NumericArrayConstructor> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/** Inclusive range of the integer datatypes held as JavaScript numbers. */
export const INTEGER_RANGE: Partial<Record<FixedWidthDatatype, readonly [number, number]>> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
};

export const BIGINT_RANGE: Partial<Record<FixedWidthDatatype, readonly [bigint, bigint]>> = {
  UINT64: [0n, 0xffffffffffffffffn],
  INT64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

export function bytesPerElement(datatype: FixedWidthDatatype): number {
  return STORAGE[datatype].BYTES_PER_ELEMENT;
}
