import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canBatchTogether, concatBatch, splitBatch } from './batching';
import { DATATYPES, Datatype } from './datatypes';
import { emptyData, elementCount, Tensor } from './tensor';
import { plainData } from './test-tensors';

/** A tensor of the datatype whose elements are distinct-ish values derived from `seed`. */
function filled(datatype: Datatype, shape: number[], seed: number): Tensor {
  const count = elementCount(shape);
  const data = emptyData(datatype, count);
  for (let i = 0; i < count; i++) {
    const value = (seed * 31 + i) % 100;
    if (Array.isArray(data)) data[i] = new TextEncoder().encode(`v${value}`);
    else if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(value);
    else data[i] = datatype === 'BOOL' ? value % 2 : value;
  }
  return { name: 'x', datatype, shape, data };
}

describe('batching along dimension 0', () => {
  it('concat then split gives back every part, for every datatype (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DATATYPES),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }),
        (datatype, rowShape, batchSizes) => {
          const parts = batchSizes.map((size, index) => filled(datatype, [size, ...rowShape], index));
          const { tensor, sizes } = concatBatch(parts);
          expect(tensor.shape).toEqual([batchSizes.reduce((a, b) => a + b, 0), ...rowShape]);
          const split = splitBatch(tensor, sizes);
          expect(split.map((part) => part.shape)).toEqual(parts.map((part) => part.shape));
          expect(split.map(plainData)).toEqual(parts.map(plainData));
        },
      ),
    );
  });

  it('puts rows in request order', () => {
    const a: Tensor = { name: 'x', datatype: 'INT32', shape: [1, 2], data: Int32Array.from([1, 2]) };
    const b: Tensor = { name: 'x', datatype: 'INT32', shape: [2, 2], data: Int32Array.from([3, 4, 5, 6]) };
    expect(plainData(concatBatch([a, b]).tensor)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses tensors whose other dimensions or datatypes differ', () => {
    const a: Tensor = { name: 'x', datatype: 'FP32', shape: [1, 3], data: new Float32Array(3) };
    const b: Tensor = { name: 'x', datatype: 'FP32', shape: [1, 4], data: new Float32Array(4) };
    const c: Tensor = { name: 'x', datatype: 'FP64', shape: [1, 3], data: new Float64Array(3) };
    expect(canBatchTogether(a, b)).toBe(false);
    expect(canBatchTogether(a, c)).toBe(false);
    expect(() => concatBatch([a, b])).toThrow('cannot batch "x" FP32[1,4] with FP32[1,3]: datatypes and all dimensions but the first must match');
    expect(() => concatBatch([a, c])).toThrow('cannot batch "x" FP64[1,3] with FP32[1,3]');
    expect(() => concatBatch([{ ...a, shape: [], data: new Float32Array(1) }])).toThrow('cannot batch');
  });

  it('refuses to split into sizes that do not add up', () => {
    const tensor: Tensor = { name: 'y', datatype: 'FP32', shape: [3, 2], data: new Float32Array(6) };
    expect(() => splitBatch(tensor, [1, 1])).toThrow('cannot split "y" of shape [3,2] into batches of 1+1');
  });
});
