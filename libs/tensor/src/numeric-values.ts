import { fp16BitsToFloat32 } from './fp16';
import { isBytesData, Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

/** A numeric tensor's values as doubles (FP16 bit patterns decoded, 64-bit integers as numbers). */
export function numericValues(tensor: Tensor): Float64Array {
  if (isBytesData(tensor.data)) throw new InvalidTensorError(`"${tensor.name}" is BYTES; numbers are needed`);
  const data = tensor.data;
  const values = new Float64Array(data.length);
  if (tensor.datatype === 'FP16') for (let i = 0; i < data.length; i++) values[i] = fp16BitsToFloat32(data[i] as number);
  else for (let i = 0; i < data.length; i++) values[i] = Number(data[i]);
  return values;
}

/** The shape of a nested array, read along its first elements (decodeJsonData checks the rest). */
export function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}
