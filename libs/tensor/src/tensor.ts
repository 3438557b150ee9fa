import { Datatype, FixedWidthDatatype, NumericArray, STORAGE } from './datatypes';

/** BYTES tensors hold one byte string per element. */
export type BytesArray = Uint8Array[];

export type TensorData = NumericArray | BytesArray;

export interface Tensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: TensorData;
  parameters?: Record<string, unknown>;
}

export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dimension of shape) count *= dimension;
  return count;
}

export function isBytesData(data: TensorData): data is BytesArray {
  return Array.isArray(data);
}

/** An all-zero (or all-empty) tensor of the given type and shape. */
export function emptyData(datatype: Datatype, count: number): TensorData {
  if (datatype === 'BYTES') return Array.from({ length: count }, () => new Uint8Array(0));
  return new STORAGE[datatype as FixedWidthDatatype](count);
}

/** Size of a tensor's data in bytes as the binary extension lays it out. */
export function byteSize(tensor: Pick<Tensor, 'data'>): number {
  if (isBytesData(tensor.data)) return tensor.data.reduce((sum, item) => sum + 4 + item.byteLength, 0);
  return tensor.data.byteLength;
}
