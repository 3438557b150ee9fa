import { Datatype, isDatatype } from './datatypes';
import { RequestedOutput } from './protocol';
import { InvalidTensorError } from './tensor-errors';

/** The parts of a KServe request common to its JSON and binary forms, checked field by field. */
export interface RawInput {
  name: string;
  datatype: Datatype;
  shape: number[];
  parameters?: Record<string, unknown>;
  data?: unknown;
}

export interface RawRequest {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: RawInput[];
  outputs?: RequestedOutput[];
}

export function readRawRequest(body: unknown): RawRequest {
  if (!isObject(body)) throw new InvalidTensorError('the request body must be a JSON object with "inputs"');
  const { id, parameters, inputs, outputs } = body;
  if (id !== undefined && typeof id !== 'string') throw new InvalidTensorError('"id" must be a string');
  // Empty is allowed: a model whose graph has no inputs (a graph of constants) runs on none; the signature
  // check then names the inputs a model does need (validateInputs).
  if (!Array.isArray(inputs)) throw new InvalidTensorError('"inputs" must be an array of tensors ([] only for a model without inputs)');
  return {
    id,
    parameters: optionalObject(parameters, '"parameters"'),
    inputs: inputs.map(readRawInput),
    outputs: outputs === undefined ? undefined : readRequestedOutputs(outputs),
  };
}

function readRawInput(input: unknown, index: number): RawInput {
  if (!isObject(input)) throw new InvalidTensorError(`inputs[${index}] must be an object with name, shape, datatype and data`);
  const { name, datatype, shape, parameters, data } = input;
  if (typeof name !== 'string' || name === '') throw new InvalidTensorError(`inputs[${index}].name must be a non-empty string`);
  if (!isDatatype(datatype)) {
    throw new InvalidTensorError(`input "${name}": datatype ${JSON.stringify(datatype)} is not one of BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64, BYTES`);
  }
  if (!Array.isArray(shape) || !shape.every((dimension) => Number.isSafeInteger(dimension) && dimension >= 0)) {
    throw new InvalidTensorError(`input "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return { name, datatype, shape: shape as number[], parameters: optionalObject(parameters, `input "${name}": parameters`), data };
}

function readRequestedOutputs(outputs: unknown): RequestedOutput[] {
  if (!Array.isArray(outputs)) throw new InvalidTensorError('"outputs" must be an array of {"name": ...}');
  return outputs.map((output, index) => {
    if (!isObject(output) || typeof output.name !== 'string') throw new InvalidTensorError(`outputs[${index}] must be an object with a "name"`);
    return { name: output.name, parameters: optionalObject(output.parameters, `outputs[${index}].parameters`) };
  });
}

function optionalObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new InvalidTensorError(`${what} must be an object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
