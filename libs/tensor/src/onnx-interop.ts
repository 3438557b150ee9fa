import { Tensor as OrtTensor } from 'onnxruntime-common';
import { Datatype } from './datatypes';
import { Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

const ORT_TYPE: Record<Datatype, OrtTensor.Type> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const DATATYPE_OF_ORT = Object.fromEntries(Object.entries(ORT_TYPE).map(([datatype, ortType]) => [ortType, datatype])) as Record<string, Datatype>;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function ortTypeOf(datatype: Datatype): OrtTensor.Type {
  return ORT_TYPE[datatype];
}

/** The KServe datatype of an ONNX Runtime element type, if the protocol has one. */
export function datatypeOfOrtType(type: string): Datatype | undefined {
  return DATATYPE_OF_ORT[type];
}

/** An onnxruntime tensor over the same memory (BYTES become strings, which ORT requires). */
export function toOrtTensor(tensor: Tensor): OrtTensor {
  const data = Array.isArray(tensor.data) ? tensor.data.map((item) => utf8Decoder.decode(item)) : tensor.data;
  return new OrtTensor(ORT_TYPE[tensor.datatype] as 'float32', data as Float32Array, tensor.shape);
}

export function fromOrtTensor(name: string, tensor: OrtTensor): Tensor {
  const datatype = DATATYPE_OF_ORT[tensor.type];
  if (!datatype) throw new InvalidTensorError(`output "${name}" has ONNX type ${tensor.type}, which KServe V2 cannot carry`);
  const shape = tensor.dims.map(Number);
  if (datatype === 'BYTES') return { name, datatype, shape, data: (tensor.data as string[]).map((item) => utf8Encoder.encode(item)) };
  const data = tensor.data as Exclude<Tensor['data'], Uint8Array[]>;
  // ORT gives BOOL as Uint8Array already and FP16 as raw bits (Uint16Array) on Node 20.
  return { name, datatype, shape, data: datatype === 'FP16' && !(data instanceof Uint16Array) ? new Uint16Array(data.buffer, data.byteOffset, data.length) : data };
}
