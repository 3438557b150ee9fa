import { FixedWidthDatatype, NumericArray, STORAGE } from './datatypes';
import { BytesArray, elementCount, isBytesData, Tensor } from './tensor';
import { BatchMismatchError } from './tensor-errors';

/** Whether two tensors can share a batch: same datatype and the same dimensions after the first. */
export function canBatchTogether(a: Pick<Tensor, 'datatype' | 'shape'>, b: Pick<Tensor, 'datatype' | 'shape'>): boolean {
  return a.datatype === b.datatype && a.shape.length === b.shape.length && a.shape.length > 0 && a.shape.every((dimension, axis) => axis === 0 || dimension === b.shape[axis]);
}

/** Concatenates tensors along dimension 0, for one batched run; `sizes` splits the result back. */
export function concatBatch(parts: readonly Tensor[]): { tensor: Tensor; sizes: number[] } {
  if (parts.length === 0) throw new BatchMismatchError('cannot batch zero tensors');
  const [first] = parts;
  for (const part of parts) {
    if (!canBatchTogether(first, part)) {
      throw new BatchMismatchError(
        `cannot batch "${part.name}" ${part.datatype}[${part.shape.join(',')}] with ${first.datatype}[${first.shape.join(',')}]: datatypes and all dimensions but the first must match`,
      );
    }
  }
  const sizes = parts.map((part) => part.shape[0]);
  const shape = [sizes.reduce((sum, size) => sum + size, 0), ...first.shape.slice(1)];
  return { tensor: { name: first.name, datatype: first.datatype, shape, data: concatData(parts, elementCount(shape)) }, sizes };
}

/** Splits a batched tensor along dimension 0 into parts of the given sizes (views, not copies). */
export function splitBatch(tensor: Tensor, sizes: readonly number[]): Tensor[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (tensor.shape.length === 0 || tensor.shape[0] !== total) {
    throw new BatchMismatchError(`cannot split "${tensor.name}" of shape [${tensor.shape.join(',')}] into batches of ${sizes.join('+')}`);
  }
  const rowSize = elementCount(tensor.shape.slice(1));
  let start = 0;
  return sizes.map((size) => {
    const end = start + size * rowSize;
    const data = isBytesData(tensor.data) ? tensor.data.slice(start, end) : tensor.data.subarray(start, end);
    start = end;
    return { name: tensor.name, datatype: tensor.datatype, shape: [size, ...tensor.shape.slice(1)], data };
  });
}

function concatData(parts: readonly Tensor[], count: number): NumericArray | BytesArray {
  if (isBytesData(parts[0].data)) return parts.flatMap((part) => part.data as BytesArray);
  const out = new STORAGE[parts[0].datatype as FixedWidthDatatype](count);
  let offset = 0;
  for (const part of parts) {
    (out as Float64Array).set(part.data as Float64Array, offset);
    offset += (part.data as NumericArray).length;
  }
  return out;
}

/** A request's part in a batch: its input tensors and the outputs it asks for (by name). */
export interface BatchMember {
  inputs: readonly Tensor[];
  outputs?: readonly string[];
}

/** Rows a request adds to a batch: dimension 0 of its inputs (1 for a request without inputs). */
export function batchRows(member: BatchMember): number {
  return member.inputs[0]?.shape[0] ?? 1;
}

/** Whether two requests can run as one batch: same input names, datatypes and non-batch dimensions, one first dimension per request, same outputs. */
export function shareBatch(a: BatchMember, b: BatchMember): boolean {
  if (a === b) return true;
  if (a.inputs.length !== b.inputs.length || String(a.outputs) !== String(b.outputs)) return false;
  const aRows = batchRows(a);
  const bRows = batchRows(b);
  if (!a.inputs.every((input) => input.shape[0] === aRows) || !b.inputs.every((input) => input.shape[0] === bRows)) return false;
  return a.inputs.every((input) => {
    const other = b.inputs.find((candidate) => candidate.name === input.name);
    return other !== undefined && canBatchTogether(input, other);
  });
}

/** Runs requests that share a batch as one execution; each request's outputs come back split, in order. */
export async function runAsOneBatch<R extends { outputs: Tensor[] }>(members: readonly BatchMember[], execute: (inputs: Tensor[], outputs?: string[]) => Promise<R>): Promise<{ perMember: Tensor[][]; execution: R; rows: number }> {
  if (members.length === 1) {
    const execution = await execute([...members[0].inputs], members[0].outputs ? [...members[0].outputs] : undefined);
    return { perMember: [execution.outputs], execution, rows: batchRows(members[0]) };
  }
  const sizes = members.map(batchRows);
  const inputs = members[0].inputs.map((input) => concatBatch(members.map((member) => member.inputs.find((candidate) => candidate.name === input.name)!)).tensor);
  const execution = await execute(inputs, members[0].outputs ? [...members[0].outputs] : undefined);
  const split = execution.outputs.map((output) => splitBatch(output, sizes));
  return { perMember: members.map((_, index) => split.map((parts) => parts[index])), execution, rows: sizes.reduce((sum, size) => sum + size, 0) };
}
