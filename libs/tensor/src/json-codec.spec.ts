import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJsonRequest, encodeJsonResponse } from './json-codec';
import { plainData, sampleTensors } from './test-tensors';
import { InvalidTensorError } from './tensor-errors';

/** A response encoded to JSON, read back as a request (same tensor layout); large integers are quoted as a client would send them. */
function roundTrip(outputs = sampleTensors()) {
  const json = encodeJsonResponse({ model_name: 'm', model_version: '1', id: 'r1', outputs });
  const quoted = json.replace(/("datatype":"U?INT64","shape":\[[^\]]*\],"data":\[)([^\]]*)/g, (_, head: string, values: string) => head + values.replace(/-?\d+/g, '"$&"'));
  const parsed = JSON.parse(quoted) as { outputs: unknown[]; id: string; model_version: string };
  return { parsed, request: decodeJsonRequest({ inputs: parsed.outputs }) };
}

function rejection(body: unknown): string {
  try {
    decodeJsonRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTensorError);
    return (error as Error).message;
  }
  throw new Error('expected the request to be rejected');
}

const input = (overrides: Record<string, unknown>) => ({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2], data: [1, 2], ...overrides }] });

describe('KServe V2 JSON codec', () => {
  it('round-trips every datatype', () => {
    const { parsed, request } = roundTrip();
    expect(parsed.id).toBe('r1');
    expect(parsed.model_version).toBe('1');
    sampleTensors().forEach((tensor, index) => {
      const decoded = request.inputs[index];
      expect(decoded.datatype).toBe(tensor.datatype);
      expect(decoded.shape).toEqual(tensor.shape);
      expect(plainData(decoded)).toEqual(plainData(tensor));
    });
  });

  it('writes 64-bit integers digit for digit and BYTES as UTF-8 strings', () => {
    const json = encodeJsonResponse({ model_name: 'm', outputs: sampleTensors() });
    expect(json).toContain('[-9223372036854775808,-1,9007199254740993,9223372036854775807]');
    expect(json).toContain('"ünïcødé ✓"');
    expect(json).toContain('"data":[true,false,false,true]');
  });

  it('accepts nested row-major data', () => {
    const request = decodeJsonRequest({ id: 'a', parameters: { p: 1 }, outputs: [{ name: 'y' }], inputs: [{ name: 'x', datatype: 'INT32', shape: [2, 3], data: [[1, 2, 3], [4, 5, 6]] }] });
    expect(Array.from(request.inputs[0].data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(request).toMatchObject({ id: 'a', parameters: { p: 1 }, outputs: [{ name: 'y' }] });
  });

  it('nested and flat data decode to the same tensor (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (a, b, c) => {
        const flat = Array.from({ length: a * b * c }, (_, i) => i - 5);
        const nested = Array.from({ length: a }, (_, i) => Array.from({ length: b }, (_, j) => flat.slice((i * b + j) * c, (i * b + j + 1) * c)));
        const fromFlat = decodeJsonRequest({ inputs: [{ name: 'x', datatype: 'INT16', shape: [a, b, c], data: flat }] });
        const fromNested = decodeJsonRequest({ inputs: [{ name: 'x', datatype: 'INT16', shape: [a, b, c], data: nested }] });
        expect(plainData(fromNested.inputs[0])).toEqual(plainData(fromFlat.inputs[0]));
      }),
    );
  });

  it('round-trips random FP32 and INT64 tensors (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 50 }), (floats, ints) => {
        const outputs = [
          { name: 'f', datatype: 'FP32' as const, shape: [floats.length], data: Float32Array.from(floats) },
          { name: 'i', datatype: 'INT64' as const, shape: [ints.length], data: BigInt64Array.from(ints) },
        ];
        const { request } = roundTrip(outputs);
        expect(plainData(request.inputs[0])).toEqual(plainData(outputs[0]));
        expect(plainData(request.inputs[1])).toEqual(plainData(outputs[1]));
      }),
    );
  });

  describe('rejects, naming the input and the expectation', () => {
    it.each([
      [null, 'the request body must be a JSON object with "inputs"'],
      [{}, '"inputs" must be an array of tensors ([] only for a model without inputs)'],
      [{ inputs: {} }, '"inputs" must be an array of tensors ([] only for a model without inputs)'],
      [{ id: 7, inputs: [] }, '"id" must be a string'],
      [{ inputs: ['x'] }, 'inputs[0] must be an object with name, shape, datatype and data'],
      [input({ name: '' }), 'inputs[0].name must be a non-empty string'],
      [input({ datatype: 'FLOAT' }), 'input "x": datatype "FLOAT" is not one of BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64, BYTES'],
      [input({ shape: [2, -1] }), 'input "x": shape must be an array of non-negative integers, got [2,-1]'],
      [input({ shape: 'two' }), 'input "x": shape must be an array of non-negative integers, got "two"'],
      [input({ data: 'abc' }), 'input "x": "data" must be an array, flat or nested row-major'],
      [input({ data: [1, 2, 3] }), 'input "x": shape [2] needs 2 elements, "data" has 3'],
      [input({ data: [1, 'two'] }), 'input "x": element 1 is "two", expected a finite number for FP32'],
      [input({ data: [1, null] }), 'input "x": element 1 is null, expected a finite number for FP32'],
      [input({ data: [true, 1] }), 'input "x": element 0 is true, expected a finite number for FP32'],
      [input({ datatype: 'UINT8', data: [1, 256] }), 'input "x": element 1 is 256, expected an integer in [0, 255] for UINT8'],
      [input({ datatype: 'INT32', data: [1.5, 2] }), 'input "x": element 0 is 1.5, expected an integer in [-2147483648, 2147483647] for INT32'],
      [input({ datatype: 'INT64', data: [2 ** 60, 1] }), 'input "x": element 0 is 1152921504606847000, expected a safe integer or a decimal string in [-9223372036854775808, 9223372036854775807] for INT64'],
      [input({ datatype: 'UINT64', data: ['-1', 1] }), 'input "x": element 0 is "-1", expected a safe integer or a decimal string in [0, 18446744073709551615] for UINT64'],
      [input({ datatype: 'BOOL', data: [1, 0] }), 'input "x": element 0 is 1, expected true or false for BOOL'],
      [input({ datatype: 'BYTES', data: ['a', 2] }), 'input "x": element 1 is 2, expected a string (BYTES in JSON are UTF-8 strings)'],
      [input({ shape: [2, 2], data: [[1, 2], [3]] }), 'input "x": nested "data" does not match shape [2,2] at data[1]: expected 2 elements, got 1 (ragged arrays are not allowed)'],
      [input({ shape: [2, 2], data: [[1, 2], 3] }), 'input "x": nested "data" does not match shape [2,2] at data[1]: expected 2 elements, got a scalar (ragged arrays are not allowed)'],
      [input({ shape: [1, 2], data: [[1, [2]]] }), 'input "x": nested "data" is deeper than shape [1,2] at data[0][1]'],
      [input({ shape: [], data: [[1]] }), 'input "x": a scalar (shape []) takes flat "data" with one element'],
      [{ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }], outputs: {} }, '"outputs" must be an array of {"name": ...}'],
      [{ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }], outputs: [{}] }, 'outputs[0] must be an object with a "name"'],
      [{ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }], parameters: [] }, '"parameters" must be an object'],
    ])('%j', (body, message) => {
      expect(rejection(body)).toBe(message);
    });
  });

  it('shortens long offending values in messages', () => {
    expect(rejection(input({ data: [1, 'y'.repeat(100)] }))).toBe(`input "x": element 1 is "${'y'.repeat(36)}..., expected a finite number for FP32`);
  });
});
