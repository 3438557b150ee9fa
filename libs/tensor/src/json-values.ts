import { BIGINT_RANGE, Datatype, FixedWidthDatatype, INTEGER_RANGE, STORAGE } from './datatypes';
import { float32ToFp16Bits } from './fp16';
import { elementCount, TensorData } from './tensor';
import { InvalidTensorError } from './tensor-errors';

const utf8 = new TextEncoder();

/**
 * Turns the `data` of a KServe JSON tensor — flat or nested row-major — into typed storage,
 * checking every element against the datatype and the element count against the shape.
 */
export function decodeJsonData(name: string, datatype: Datatype, shape: number[], data: unknown): TensorData {
  if (!Array.isArray(data)) throw new InvalidTensorError(`input "${name}": "data" must be an array, flat or nested row-major`);
  const values = data.length > 0 && Array.isArray(data[0]) ? flattenNested(name, data, shape) : data;
  const expected = elementCount(shape);
  if (values.length !== expected) {
    throw new InvalidTensorError(`input "${name}": shape [${shape.join(',')}] needs ${expected} elements, "data" has ${values.length}`);
  }
  return convertValues(name, datatype, values);
}

/** Flattens nested arrays, checking that every level has exactly the length its dimension says. */
function flattenNested(name: string, data: unknown[], shape: number[]): unknown[] {
  const flat: unknown[] = [];
  const walk = (level: unknown, depth: number, path: string): void => {
    const isLeafLevel = depth === shape.length - 1;
    if (!Array.isArray(level) || level.length !== shape[depth]) {
      throw new InvalidTensorError(
        `input "${name}": nested "data" does not match shape [${shape.join(',')}] at data${path}: expected ${shape[depth]} elements, got ${Array.isArray(level) ? level.length : 'a scalar'} (ragged arrays are not allowed)`,
      );
    }
    if (isLeafLevel) {
      for (let i = 0; i < level.length; i++) {
        if (Array.isArray(level[i])) throw new InvalidTensorError(`input "${name}": nested "data" is deeper than shape [${shape.join(',')}] at data${path}[${i}]`);
        flat.push(level[i]);
      }
      return;
    }
    for (let i = 0; i < level.length; i++) walk(level[i], depth + 1, `${path}[${i}]`);
  };
  if (shape.length === 0) throw new InvalidTensorError(`input "${name}": a scalar (shape []) takes flat "data" with one element`);
  walk(data, 0, '');
  return flat;
}

function convertValues(name: string, datatype: Datatype, values: unknown[]): TensorData {
  switch (datatype) {
    case 'BYTES':
      return values.map((value, index) => {
        if (typeof value !== 'string') throw elementError(name, index, value, 'a string (BYTES in JSON are UTF-8 strings)');
        return utf8.encode(value);
      });
    case 'BOOL':
      return fill(name, datatype, values, (value) => (typeof value === 'boolean' ? Number(value) : undefined), 'true or false');
    case 'FP16':
      return fill(name, datatype, values, (value) => (isFiniteNumber(value) ? float32ToFp16Bits(value) : undefined), 'a finite number');
    case 'FP32':
    case 'FP64':
      return fill(name, datatype, values, (value) => (isFiniteNumber(value) ? value : undefined), 'a finite number');
    case 'INT64':
    case 'UINT64':
      return fillBigInt(name, datatype, values);
    default:
      return fillInteger(name, datatype, values);
  }
}

function fill(
  name: string,
  datatype: FixedWidthDatatype,
  values: unknown[],
  convert: (value: unknown) => number | undefined,
  expectation: string,
): TensorData {
  const out = new STORAGE[datatype](values.length) as Float64Array;
  for (let i = 0; i < values.length; i++) {
    const converted = convert(values[i]);
    if (converted === undefined) throw elementError(name, i, values[i], `${expectation} for ${datatype}`);
    out[i] = converted;
  }
  return out;
}

function fillInteger(name: string, datatype: FixedWidthDatatype, values: unknown[]): TensorData {
  const [min, max] = INTEGER_RANGE[datatype]!;
  return fill(
    name,
    datatype,
    values,
    (value) => (Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined),
    `an integer in [${min}, ${max}]`,
  );
}

/** 64-bit integers: JSON numbers only while they are safe integers; decimal strings carry the rest exactly. */
function fillBigInt(name: string, datatype: FixedWidthDatatype, values: unknown[]): TensorData {
  const [min, max] = BIGINT_RANGE[datatype]!;
  const out = new STORAGE[datatype](values.length) as BigInt64Array;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const big = Number.isSafeInteger(value) ? BigInt(value as number) : typeof value === 'string' && /^-?\d{1,20}$/.test(value) ? BigInt(value) : undefined;
    if (big === undefined || big < min || big > max) {
      throw elementError(name, i, value, `a safe integer or a decimal string in [${min}, ${max}] for ${datatype}`);
    }
    out[i] = big;
  }
  return out;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function elementError(name: string, index: number, value: unknown, expectation: string): InvalidTensorError {
  return new InvalidTensorError(`input "${name}": element ${index} is ${describe(value)}, expected ${expectation}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
