import type * as TfCore from '@tensorflow/tfjs-core';
import { Datatype } from './datatypes';
import { fp16ToFloat32Array } from './fp16';
import { Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

const utf8 = new TextEncoder();
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

let tfCore: typeof TfCore | undefined;

/**
 * TensorFlow.js, loaded on first use rather than with this library: every model host imports the
 * library, and an ONNX host never needs tfjs, whose loading cost each host thread ~35 ms of its start.
 */
function tf(): typeof TfCore {
  return (tfCore ??= require('@tensorflow/tfjs-core') as typeof TfCore);
}

/** The TensorFlow.js dtype a KServe datatype is computed in (tfjs has no 8/16/64-bit or FP16/FP64 tensors). */
export function tfDtypeOf(datatype: Datatype): TfCore.DataType {
  switch (datatype) {
    case 'BOOL':
      return 'bool';
    case 'BYTES':
      return 'string';
    case 'FP16':
    case 'FP32':
    case 'FP64':
      return 'float32';
    default:
      return 'int32';
  }
}

/** A tfjs tensor with the same values; integers outside int32 are refused rather than wrapped. */
export function toTfTensor(tensor: Tensor): TfCore.Tensor {
  const dtype = tfDtypeOf(tensor.datatype);
  return tf().tensor(tfValues(tensor, dtype), tensor.shape, dtype);
}

export function fromTfTensor(name: string, tensor: TfCore.Tensor): Tensor {
  const shape = tensor.shape.slice();
  const values = tensor.dataSync();
  switch (tensor.dtype) {
    case 'float32':
      return { name, datatype: 'FP32', shape, data: values as Float32Array };
    case 'int32':
      return { name, datatype: 'INT32', shape, data: values as Int32Array };
    case 'bool':
      return { name, datatype: 'BOOL', shape, data: new Uint8Array(values as Uint8Array) };
    case 'string':
      // dataSync() decodes string tensors to JavaScript strings; BYTES carry their UTF-8 bytes.
      return { name, datatype: 'BYTES', shape, data: (values as unknown as Array<string | Uint8Array>).map((item) => (typeof item === 'string' ? utf8.encode(item) : item)) };
    default:
      throw new InvalidTensorError(`output "${name}" has tfjs dtype ${tensor.dtype}, which KServe V2 cannot carry`);
  }
}

function tfValues(tensor: Tensor, dtype: TfCore.DataType): Float32Array | Int32Array | Uint8Array | Uint8Array[] {
  const { data, datatype, name } = tensor;
  if (Array.isArray(data)) return data;
  if (datatype === 'FP16') return fp16ToFloat32Array(data as Uint16Array);
  if (dtype === 'bool') return data as Uint8Array;
  if (dtype === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data as Float64Array);
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = Number(data[i]);
    if (value < INT32_MIN || value > INT32_MAX) throw new InvalidTensorError(`input "${name}": element ${i} (${data[i]}) does not fit the int32 that TensorFlow.js computes ${datatype} in`);
    out[i] = value;
  }
  return out;
}
