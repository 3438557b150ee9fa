import { FixedWidthDatatype } from './datatypes';
import { fp16BitsToFloat32 } from './fp16';
import { decodeJsonData } from './json-values';
import { InferenceRequest, InferenceResponse } from './protocol';
import { readRawRequest } from './request-shape';
import { isBytesData, Tensor, TensorData } from './tensor';

const utf8 = new TextDecoder();

/** Decodes a KServe V2 JSON inference request (already parsed from JSON). */
export function decodeJsonRequest(body: unknown): InferenceRequest {
  const raw = readRawRequest(body);
  return {
    id: raw.id,
    parameters: raw.parameters,
    outputs: raw.outputs,
    inputs: raw.inputs.map((input) => ({
      name: input.name,
      datatype: input.datatype,
      shape: input.shape,
      parameters: input.parameters,
      data: decodeJsonData(input.name, input.datatype, input.shape, input.data),
    })),
  };
}

/** Encodes a response as KServe V2 JSON; output data is flat, row-major. */
export function encodeJsonResponse(response: InferenceResponse): string {
  const outputs = response.outputs.map((tensor) => `{${tensorHeaderJson(tensor)},"data":${jsonData(tensor)}}`);
  return `{${responseHeaderJson(response)},"outputs":[${outputs.join(',')}]}`;
}

export function responseHeaderJson(response: InferenceResponse): string {
  const fields = [`"model_name":${JSON.stringify(response.model_name)}`];
  if (response.model_version !== undefined) fields.push(`"model_version":${JSON.stringify(response.model_version)}`);
  if (response.id !== undefined) fields.push(`"id":${JSON.stringify(response.id)}`);
  if (response.parameters !== undefined) fields.push(`"parameters":${JSON.stringify(response.parameters)}`);
  return fields.join(',');
}

export function tensorHeaderJson(tensor: Tensor, parameters = tensor.parameters): string {
  const fields = [`"name":${JSON.stringify(tensor.name)}`, `"datatype":"${tensor.datatype}"`, `"shape":[${tensor.shape.join(',')}]`];
  if (parameters !== undefined) fields.push(`"parameters":${JSON.stringify(parameters)}`);
  return fields.join(',');
}

/**
 * The `data` array as JSON text. 64-bit integers are written digit for digit (JSON numbers have no
 * size limit; a client parsing them as doubles may round, which is why the binary form exists);
 * NaN and infinities, which JSON cannot express, become null; -0 stays -0.
 */
export function jsonData(tensor: Pick<Tensor, 'datatype' | 'data'>): string {
  const { datatype, data } = tensor;
  if (isBytesData(data)) return JSON.stringify(data.map((item) => utf8.decode(item)));
  switch (datatype as FixedWidthDatatype) {
    case 'BOOL':
      return `[${Array.from(data as Uint8Array, (value) => (value ? 'true' : 'false')).join(',')}]`;
    case 'FP16':
      return numberList(Array.from(data as Uint16Array, fp16BitsToFloat32));
    case 'INT64':
    case 'UINT64':
      return `[${(data as BigInt64Array).join(',')}]`;
    default:
      return numberList(data as Exclude<TensorData, BigInt64Array | BigUint64Array | Uint8Array[]>);
  }
}

/** Like JSON.stringify of the numbers, but keeping the sign of -0. */
function numberList(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = Number.isFinite(value) ? (value === 0 && 1 / value < 0 ? '-0' : String(value)) : 'null';
  }
  return `[${parts.join(',')}]`;
}
