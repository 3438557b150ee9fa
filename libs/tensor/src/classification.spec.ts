import { describe, expect, it } from 'vitest';
import { classificationCount, classify, classifyRequested } from './classification';
import { float32ToFp16Bits } from './fp16';
import { Tensor } from './tensor';

const text = (tensor: Tensor) => (tensor.data as Uint8Array[]).map((item) => new TextDecoder().decode(item));

describe('classification (Triton extension)', () => {
  const scores: Tensor = { name: 'scores', datatype: 'FP32', shape: [2, 4], data: Float32Array.from([1, 5, 10, 4, 0.5, 0.25, 0.125, 2]) };

  it('returns "<value>:<index>" for the n highest values of each row, highest first, as BYTES [batch, n]', () => {
    const classified = classify(scores, 2);
    expect(classified).toMatchObject({ name: 'scores', datatype: 'BYTES', shape: [2, 2] });
    expect(text(classified)).toEqual(['10.000000:2', '5.000000:1', '2.000000:3', '0.500000:0']);
  });

  it('writes integers as they are and reads FP16 as numbers', () => {
    expect(text(classify({ name: 'counts', datatype: 'INT64', shape: [3], data: BigInt64Array.from([7n, 9n, 8n]) }, 3))).toEqual(['9:1', '8:2', '7:0']);
    expect(text(classify({ name: 'half', datatype: 'FP16', shape: [2], data: Uint16Array.from([float32ToFp16Bits(0.5), float32ToFp16Bits(1.5)]) }, 1))).toEqual(['1.500000:1']);
  });

  it('classifies only the outputs the request asked for', () => {
    const other: Tensor = { name: 'other', datatype: 'FP32', shape: [1], data: Float32Array.from([3]) };
    const [classified, untouched] = classifyRequested([scores, other], [{ name: 'scores', parameters: { classification: 1, binary_data: true } }, { name: 'other' }]);
    expect(text(classified)).toEqual(['10.000000:2', '2.000000:3']);
    expect(untouched).toBe(other);
  });

  it('refuses a count that is not a positive integer, or more classes than the output has', () => {
    expect(() => classificationCount({ name: 'scores', parameters: { classification: 0 } })).toThrow('parameters.classification must be a positive integer');
    expect(() => classificationCount({ name: 'scores', parameters: { classification: '2' } })).toThrow('got "2"');
    expect(() => classify(scores, 5)).toThrow('asks for 5 classes, but the output has 4');
  });
});
