import { decodeBinaryData, encodeBinaryData } from './binary-layout';
import { jsonData, responseHeaderJson, tensorHeaderJson } from './json-codec';
import { decodeJsonData } from './json-values';
import { InferenceRequest, InferenceResponse, RequestedOutput } from './protocol';
import { RawInput, readRawRequest } from './request-shape';
import { Tensor, byteSize } from './tensor';
import { InvalidTensorError } from './tensor-errors';

/**
 * Decodes a request in Triton's binary tensor data extension: the first `headerLength` bytes are
 * the JSON header; inputs whose parameters carry `binary_data_size` take that many bytes, in input
 * order, from the rest of the body. Without a header length the whole body is JSON.
 */
export function decodeBinaryRequest(body: Uint8Array, headerLength?: number): InferenceRequest {
  const jsonLength = headerLength ?? body.byteLength;
  if (!Number.isSafeInteger(jsonLength) || jsonLength < 0 || jsonLength > body.byteLength) {
    throw new InvalidTensorError(`Inference-Header-Content-Length is ${headerLength}, but the body has ${body.byteLength} bytes`);
  }
  const raw = readRawRequest(parseHeader(body.subarray(0, jsonLength)));
  let offset = jsonLength;
  const inputs = raw.inputs.map((input): Tensor => {
    const size = binaryDataSize(input);
    if (size === undefined) return { ...tensorFields(input), data: decodeJsonData(input.name, input.datatype, input.shape, input.data) };
    if (input.data !== undefined) throw new InvalidTensorError(`input "${input.name}": has both "data" and binary_data_size; send one`);
    if (offset + size > body.byteLength) {
      throw new InvalidTensorError(`input "${input.name}": binary_data_size ${size} runs past the end of the body (${body.byteLength - offset} bytes left)`);
    }
    const data = decodeBinaryData(input.name, input.datatype, input.shape, body.subarray(offset, offset + size));
    offset += size;
    return { ...tensorFields(input), data };
  });
  if (offset !== body.byteLength) throw new InvalidTensorError(`the body has ${body.byteLength - offset} bytes that no input's binary_data_size accounts for`);
  return { id: raw.id, parameters: raw.parameters, outputs: raw.outputs, inputs };
}

/** Whether the client asked for this output in binary: per-output `binary_data`, else request-wide `binary_data_output`. */
export function wantsBinaryOutput(request: Pick<InferenceRequest, 'parameters' | 'outputs'>, outputName: string): boolean {
  const requested: RequestedOutput | undefined = request.outputs?.find((output) => output.name === outputName);
  const perOutput = requested?.parameters?.binary_data;
  if (typeof perOutput === 'boolean') return perOutput;
  return request.parameters?.binary_data_output === true;
}

export interface EncodedBinaryResponse {
  /** The JSON header followed by the binary outputs, as chunks to write in order. */
  chunks: Uint8Array[];
  headerLength: number;
  byteLength: number;
}

/** Encodes a response with the named outputs in binary (others stay JSON in the header). */
export function encodeBinaryResponse(response: InferenceResponse, isBinary: (outputName: string) => boolean): EncodedBinaryResponse {
  const payload: Uint8Array[] = [];
  const outputs = response.outputs.map((tensor) => {
    if (!isBinary(tensor.name)) return `{${tensorHeaderJson(tensor)},"data":${jsonData(tensor)}}`;
    payload.push(...encodeBinaryData(tensor));
    return `{${tensorHeaderJson(tensor, { ...tensor.parameters, binary_data_size: byteSize(tensor) })}}`;
  });
  const header = Buffer.from(`{${responseHeaderJson(response)},"outputs":[${outputs.join(',')}]}`);
  const chunks = [header, ...payload];
  return { chunks, headerLength: header.byteLength, byteLength: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) };
}

function tensorFields(input: RawInput): Omit<Tensor, 'data'> {
  return { name: input.name, datatype: input.datatype, shape: input.shape, parameters: input.parameters };
}

function binaryDataSize(input: RawInput): number | undefined {
  const size = input.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (!Number.isSafeInteger(size) || (size as number) < 0) {
    throw new InvalidTensorError(`input "${input.name}": binary_data_size must be a non-negative integer, got ${JSON.stringify(size)}`);
  }
  return size as number;
}

function parseHeader(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new InvalidTensorError(`the JSON header of the request is not valid JSON: ${(error as Error).message}`);
  }
}
