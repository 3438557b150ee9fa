import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { fromOrtTensor, toOrtTensor } from './onnx-interop';
import { fromTfTensor, toTfTensor } from './tfjs-interop';
import { plainData, sampleTensors } from './test-tensors';
import { fp16BitsToFloat32 } from './fp16';

describe('onnxruntime tensors', () => {
  it.each(sampleTensors().map((tensor) => [tensor.datatype, tensor] as const))('%s round-trips', (_datatype, tensor) => {
    const ort = toOrtTensor(tensor);
    expect(ort.dims).toEqual(tensor.shape);
    const back = fromOrtTensor(tensor.name, ort);
    expect(back.datatype).toBe(tensor.datatype);
    expect(plainData(back)).toEqual(plainData(tensor));
  });

  it('shares memory with fixed-width tensors instead of copying', () => {
    const tensor = sampleTensors().find((sample) => sample.datatype === 'FP32')!;
    expect(toOrtTensor(tensor).data).toBe(tensor.data);
  });
});

describe('TensorFlow.js tensors', () => {
  it.each(sampleTensors().filter((tensor) => !['UINT32', 'UINT64', 'INT64'].includes(tensor.datatype)).map((tensor) => [tensor.datatype, tensor] as const))(
    '%s converts to the tfjs dtype and back with the same values',
    (_datatype, tensor) => {
      const tf = toTfTensor(tensor);
      const back = fromTfTensor(tensor.name, tf);
      tf.dispose();
      expect(back.shape).toEqual(tensor.shape);
      const isFloat = ['FP32', 'FP64'].includes(tensor.datatype);
      const expected = tensor.datatype === 'FP16' ? Array.from(tensor.data as Uint16Array, fp16BitsToFloat32) : plainData(tensor).map((value) => (isFloat ? Math.fround(value as number) : value));
      if (tensor.datatype === 'FP64') expect((plainData(back) as number[]).map(Math.fround)).toEqual(expected);
      else expect(plainData(back)).toEqual(expected);
    },
  );

  it('computes integers in int32 and refuses values that do not fit', () => {
    expect(toTfTensor({ name: 'i', datatype: 'INT64', shape: [2], data: BigInt64Array.from([-3n, 2n ** 31n - 1n]) }).dtype).toBe('int32');
    expect(() => toTfTensor({ name: 'i', datatype: 'INT64', shape: [1], data: BigInt64Array.from([2n ** 31n]) })).toThrow(
      'input "i": element 0 (2147483648) does not fit the int32 that TensorFlow.js computes INT64 in',
    );
  });
});
