import { fp16BitsToFloat32 } from './fp16';
import { topK } from './postprocess';
import type { RequestedOutput } from './protocol';
import { isBytesData, Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

const FLOATING = new Set(['FP16', 'FP32', 'FP64']);

/**
 * Triton's classification extension: a requested output with `parameters.classification = n`
 * comes back as a BYTES tensor of shape [..., n] holding "<value>:<index>" for the n highest values
 * of each row, highest first (what tritonclient's `InferRequestedOutput(class_count=n)` asks for).
 */
export function classificationCount(output: RequestedOutput): number | undefined {
  const count = output.parameters?.classification;
  if (count === undefined) return undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new InvalidTensorError(`output "${output.name}": parameters.classification must be a positive integer (the number of classes to return), got ${JSON.stringify(count)}`);
  }
  return count;
}

/** The outputs with each one that the request asked to classify replaced by its classification. */
export function classifyRequested(outputs: Tensor[], requested: readonly RequestedOutput[] | undefined): Tensor[] {
  if (!requested?.some((output) => output.parameters?.classification !== undefined)) return outputs;
  return outputs.map((output) => {
    const request = requested.find((candidate) => candidate.name === output.name);
    const count = request && classificationCount(request);
    return count ? classify(output, count) : output;
  });
}

export function classify(tensor: Tensor, count: number): Tensor {
  if (isBytesData(tensor.data)) throw new InvalidTensorError(`output "${tensor.name}" is BYTES and cannot be classified`);
  const width = tensor.shape[tensor.shape.length - 1];
  if (count > width) throw new InvalidTensorError(`output "${tensor.name}": classification asks for ${count} classes, but the output has ${width}`);
  const { indices } = topK(tensor, count);
  const ranked = indices.data as BigInt64Array;
  const encoder = new TextEncoder();
  const data = Array.from(ranked, (index, position) => {
    const row = Math.floor(position / count);
    return encoder.encode(`${formatValue(tensor, row * width + Number(index))}:${index}`);
  });
  return { name: tensor.name, datatype: 'BYTES', shape: [...tensor.shape.slice(0, -1), count], data };
}

/** Floating values as C++'s std::to_string writes them (six decimals, as Triton does); integers as they are. */
function formatValue(tensor: Tensor, offset: number): string {
  const raw = (tensor.data as ArrayLike<number | bigint>)[offset];
  if (!FLOATING.has(tensor.datatype)) return String(raw);
  const value = tensor.datatype === 'FP16' ? fp16BitsToFloat32(raw as number) : Number(raw);
  return value.toFixed(6);
}
