import { describe, expect, it } from 'vitest';
import { float32ToFp16Bits } from './fp16';
import { argmax, l2Normalize, sigmoid, softmax, topK } from './postprocess';
import { Tensor } from './tensor';
import { plainData } from './test-tensors';

const scores: Tensor = { name: 'logits', datatype: 'FP32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 1000, 1000, 0]) };

describe('post-processing on the last axis', () => {
  it('softmax: rows sum to 1, stable for large logits', () => {
    const result = plainData(softmax(scores)) as number[];
    expect(result[0] + result[1] + result[2]).toBeCloseTo(1, 6);
    expect(result[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    expect(result.slice(3)).toEqual([0.5, 0.5, 0]);
  });

  it('argmax gives INT64 indices, one per row', () => {
    const result = argmax(scores);
    expect(result).toMatchObject({ datatype: 'INT64', shape: [2] });
    expect(plainData(result)).toEqual([2n, 0n]);
  });

  it('top-k gives values largest first with their indices', () => {
    const { values, indices } = topK(scores, 2);
    expect(values.shape).toEqual([2, 2]);
    expect(plainData(values)).toEqual([3, 2, 1000, 1000]);
    expect(plainData(indices)).toEqual([2n, 1n, 0n, 1n]);
    expect(() => topK(scores, 4)).toThrow('top-k: k must be an integer between 1 and 3, got 4');
  });

  it('sigmoid and L2 normalisation', () => {
    expect(plainData(sigmoid({ ...scores, shape: [6] }))[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    const normalised = plainData(l2Normalize({ name: 'e', datatype: 'FP64', shape: [1, 2], data: Float64Array.from([3, 4]) })) as number[];
    expect(normalised.map((value) => Number(value.toFixed(6)))).toEqual([0.6, 0.8]);
    expect(plainData(l2Normalize({ name: 'z', datatype: 'FP32', shape: [2], data: new Float32Array(2) }))).toEqual([0, 0]);
  });

  it('reads FP16 and integer inputs', () => {
    const half: Tensor = { name: 'h', datatype: 'FP16', shape: [3], data: Uint16Array.from([0, 5, 1].map(float32ToFp16Bits)) };
    expect(plainData(argmax(half))).toEqual([1n]);
    expect(plainData(argmax({ name: 'i', datatype: 'INT64', shape: [2], data: BigInt64Array.from([7n, 9n]) }))).toEqual([1n]);
  });

  it('refuses BYTES and empty last axes', () => {
    expect(() => softmax({ name: 's', datatype: 'BYTES', shape: [1], data: [new Uint8Array(1)] })).toThrow('"s" is BYTES; post-processing needs numbers');
    expect(() => softmax({ name: 'e', datatype: 'FP32', shape: [2, 0], data: new Float32Array(0) })).toThrow('"e" needs a non-empty last axis');
  });
});
