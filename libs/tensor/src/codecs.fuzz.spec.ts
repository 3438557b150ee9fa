import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClientErrorOrResult, fuzz } from '../../../test/support/fuzz';
import { decodeBinaryRequest } from './binary-codec';
import { DATATYPES } from './datatypes';
import { decodeJsonRequest, encodeJsonResponse } from './json-codec';
import { elementCount } from './tensor';

const shapes = fc.array(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom(2 ** 31, Number.MAX_SAFE_INTEGER, 1.5, NaN)), { maxLength: 4 });
const scalars = fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant(null), fc.bigInt().map(String));
const tensorLike = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
    datatype: fc.oneof(fc.constantFrom(...DATATYPES), fc.string({ maxLength: 5 })),
    shape: fc.oneof(shapes, fc.jsonValue()),
    data: fc.oneof(fc.array(scalars, { maxLength: 40 }), fc.array(fc.array(scalars, { maxLength: 6 }), { maxLength: 6 }), fc.jsonValue()),
    parameters: fc.oneof(fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue())),
  },
  { requiredKeys: [] },
);
const requestLike = fc.oneof(
  fc.record({ inputs: fc.array(tensorLike, { maxLength: 3 }), outputs: fc.oneof(fc.constant(undefined), fc.jsonValue()), id: fc.oneof(fc.string(), fc.jsonValue()), parameters: fc.jsonValue() }, { requiredKeys: ['inputs'] }),
  fc.jsonValue(),
);

/** What a decoded request must satisfy whenever decoding succeeds. */
function expectConsistent(request: ReturnType<typeof decodeJsonRequest>): void {
  for (const input of request.inputs) {
    expect(input.shape.every((dimension) => Number.isSafeInteger(dimension) && dimension >= 0)).toBe(true);
    expect(input.data.length).toBe(elementCount(input.shape));
  }
}

describe('tensor codecs under fuzzing (seeded; a failure is a bug, a refusal must be a 400)', () => {
  it('decodes any JSON body into a consistent request or refuses it as invalid', () => {
    fuzz(requestLike, (body) => {
      const request = expectClientErrorOrResult(() => decodeJsonRequest(body));
      if (request) expectConsistent(request);
    });
  });

  it('decodes any bytes with any header length as a binary request or refuses them as invalid', () => {
    fuzz(fc.tuple(fc.uint8Array({ maxLength: 256 }), fc.option(fc.integer({ min: -4, max: 300 }), { nil: undefined })), ([bytes, headerLength]) => {
      const request = expectClientErrorOrResult(() => decodeBinaryRequest(bytes, headerLength));
      if (request) expectConsistent(request);
    });
  });

  it('decodes a binary request whose JSON header is fuzzed and whose tail is random', () => {
    const binaryInput = fc.record({
      name: fc.string({ maxLength: 4 }),
      datatype: fc.constantFrom(...DATATYPES),
      shape: shapes,
      parameters: fc.record({ binary_data_size: fc.oneof(fc.integer({ min: -1, max: 64 }), fc.jsonValue()) }),
    });
    fuzz(fc.tuple(fc.array(binaryInput, { minLength: 1, maxLength: 3 }), fc.uint8Array({ maxLength: 128 })), ([inputs, tail]) => {
      const header = Buffer.from(JSON.stringify({ inputs }));
      const request = expectClientErrorOrResult(() => decodeBinaryRequest(Buffer.concat([header, tail]), header.byteLength));
      if (request) expectConsistent(request);
    });
  });

  it('round-trips what it encodes: a response re-read as a request holds the same values', () => {
    const fp32Tensor = fc.integer({ min: 0, max: 12 }).chain((count) => fc.record({ shape: fc.constant<number[]>([count]), values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: count, maxLength: count }) }));
    fuzz(fp32Tensor, ({ shape, values }) => {
      const encoded = encodeJsonResponse({ model_name: 'm', model_version: '1', outputs: [{ name: 'y', datatype: 'FP32', shape, data: Float32Array.from(values) }] });
      const reread = decodeJsonRequest({ inputs: JSON.parse(encoded).outputs });
      expect(Array.from(reread.inputs[0].data as Float32Array)).toEqual(Array.from(Float32Array.from(values)));
    }, 0.5);
  });
});
