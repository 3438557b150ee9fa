import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinaryRequest, encodeBinaryResponse, wantsBinaryOutput } from './binary-codec';
import { decodeJsonRequest } from './json-codec';
import { InferenceResponse } from './protocol';
import { plainData, sampleTensors } from './test-tensors';
import { byteSize, Tensor } from './tensor';

/** Builds a binary-extension request body as a client library would. */
function binaryRequestBody(inputs: Tensor[], extra: Record<string, unknown> = {}): { body: Buffer; headerLength: number } {
  const payload = inputs.map((tensor) => encodeBinaryResponse({ model_name: 'm', outputs: [tensor] }, () => true).chunks.slice(1));
  const header = Buffer.from(
    JSON.stringify({
      ...extra,
      inputs: inputs.map((tensor) => ({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, parameters: { binary_data_size: byteSize(tensor) } })),
    }),
  );
  return { body: Buffer.concat([header, ...payload.flat()]), headerLength: header.byteLength };
}

function joined(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

describe("Triton's binary tensor data extension", () => {
  it('round-trips every datatype through a binary request', () => {
    const { body, headerLength } = binaryRequestBody(sampleTensors());
    const request = decodeBinaryRequest(body, headerLength);
    sampleTensors().forEach((tensor, index) => {
      expect(request.inputs[index]).toMatchObject({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape });
      expect(plainData(request.inputs[index])).toEqual(plainData(tensor));
    });
  });

  it('decodes the documented request: UINT32 [2,2] then BOOL [3], 19 bytes after the header', () => {
    const header = Buffer.from(
      JSON.stringify({
        model_name: 'mymodel',
        inputs: [
          { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
          { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
        ],
        outputs: [{ name: 'output0', parameters: { binary_data: true } }],
      }),
    );
    const uint32 = Buffer.alloc(16);
    [1, 2, 0xdeadbeef, 4].forEach((value, index) => uint32.writeUInt32LE(value, index * 4));
    const body = Buffer.concat([header, uint32, Buffer.from([1, 0, 1])]);
    expect(body.byteLength - header.byteLength).toBe(19);

    const request = decodeBinaryRequest(body, header.byteLength);
    expect(Array.from(request.inputs[0].data as Uint32Array)).toEqual([1, 2, 0xdeadbeef, 4]);
    expect(Array.from(request.inputs[1].data as Uint8Array)).toEqual([1, 0, 1]);
    expect(wantsBinaryOutput(request, 'output0')).toBe(true);
    expect(wantsBinaryOutput(request, 'output1')).toBe(false);
  });

  it('encodes the documented response: FP32 [3,2] as 24 little-endian bytes after the JSON header', () => {
    const values = [0.5, -1, 2, 3.25, 0, 7];
    const response: InferenceResponse = { model_name: 'mymodel', outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: Float32Array.from(values) }] };
    const encoded = encodeBinaryResponse(response, () => true);
    const body = joined(encoded.chunks);
    const header = JSON.parse(body.subarray(0, encoded.headerLength).toString()) as { outputs: Array<Record<string, unknown>> };
    expect(header.outputs).toEqual([{ name: 'output0', datatype: 'FP32', shape: [3, 2], parameters: { binary_data_size: 24 } }]);
    expect(body.byteLength).toBe(encoded.headerLength + 24);
    expect(encoded.byteLength).toBe(body.byteLength);
    expect(values.map((_, index) => body.readFloatLE(encoded.headerLength + index * 4))).toEqual(values);
  });

  it('lays out BYTES as 4-byte little-endian lengths, each followed by its bytes', () => {
    const tensor: Tensor = { name: 's', datatype: 'BYTES', shape: [2], data: [Buffer.from('ab'), Buffer.from('xyz')] };
    const encoded = encodeBinaryResponse({ model_name: 'm', outputs: [tensor] }, () => true);
    const payload = joined(encoded.chunks).subarray(encoded.headerLength);
    expect(Array.from(payload)).toEqual([2, 0, 0, 0, 0x61, 0x62, 3, 0, 0, 0, 0x78, 0x79, 0x7a]);
  });

  it('keeps JSON outputs in the header when only some are binary', () => {
    const response: InferenceResponse = {
      model_name: 'm',
      id: 'req-9',
      outputs: [
        { name: 'a', datatype: 'INT32', shape: [2], data: Int32Array.from([1, 2]) },
        { name: 'b', datatype: 'UINT32', shape: [2, 2], data: Uint32Array.from([0, 1, 2, 3]) },
      ],
    };
    const encoded = encodeBinaryResponse(response, (name) => name === 'a');
    const header = JSON.parse(joined(encoded.chunks).subarray(0, encoded.headerLength).toString());
    expect(header).toEqual({
      model_name: 'm',
      id: 'req-9',
      outputs: [
        { name: 'a', datatype: 'INT32', shape: [2], parameters: { binary_data_size: 8 } },
        { name: 'b', datatype: 'UINT32', shape: [2, 2], data: [0, 1, 2, 3] },
      ],
    });
  });

  it('decodes fixed-width data as a view over the body when aligned, and copies when not', () => {
    const tensor: Tensor = { name: 'x', datatype: 'FP32', shape: [4], data: Float32Array.from([1, 2, 3, 4]) };
    const { body, headerLength } = binaryRequestBody([tensor]);
    const padded = Buffer.alloc(body.byteLength + (4 - (headerLength % 4)) % 4);
    const header = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [4], parameters: { binary_data_size: 16 } }] }).padEnd(padded.byteLength - 16, ' ');
    padded.write(header);
    Buffer.from(Float32Array.from([1, 2, 3, 4]).buffer).copy(padded, header.length);
    const aligned = decodeBinaryRequest(padded, header.length).inputs[0].data as Float32Array;
    expect(aligned.buffer).toBe(padded.buffer);
    expect(Array.from(aligned)).toEqual([1, 2, 3, 4]);

    const unaligned = Buffer.alloc(body.byteLength + 1);
    body.copy(unaligned, 1);
    const copied = decodeBinaryRequest(unaligned.subarray(1), headerLength).inputs[0].data as Float32Array;
    expect(Array.from(copied)).toEqual([1, 2, 3, 4]);
  });

  it('mixes JSON and binary inputs in one request', () => {
    const binary: Tensor = { name: 'b', datatype: 'INT16', shape: [2], data: Int16Array.from([-5, 5]) };
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'j', datatype: 'FP64', shape: [1], data: [0.25] }, { name: 'b', datatype: 'INT16', shape: [2], parameters: { binary_data_size: 4 } }] }));
    const request = decodeBinaryRequest(Buffer.concat([header, Buffer.from((binary.data as Int16Array).buffer)]), header.byteLength);
    expect(plainData(request.inputs[0])).toEqual([0.25]);
    expect(plainData(request.inputs[1])).toEqual([-5, 5]);
  });

  it('treats a body without a header length as plain JSON', () => {
    const body = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', datatype: 'INT8', shape: [1], data: [3] }] }));
    expect(plainData(decodeBinaryRequest(body).inputs[0])).toEqual([3]);
  });

  it('binary and JSON decode to the same tensors for random data (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 64 }), fc.array(fc.string(), { minLength: 1, maxLength: 8 }), (ints, strings) => {
        const tensors: Tensor[] = [
          { name: 'i', datatype: 'INT32', shape: [ints.length], data: Int32Array.from(ints) },
          { name: 's', datatype: 'BYTES', shape: [strings.length], data: strings.map((text) => Buffer.from(text)) },
        ];
        const { body, headerLength } = binaryRequestBody(tensors);
        const fromBinary = decodeBinaryRequest(body, headerLength);
        const fromJson = decodeJsonRequest({ inputs: [{ name: 'i', datatype: 'INT32', shape: [ints.length], data: ints }, { name: 's', datatype: 'BYTES', shape: [strings.length], data: strings }] });
        expect(fromBinary.inputs.map(plainData)).toEqual(fromJson.inputs.map(plainData));
      }),
    );
  });

  describe('rejects malformed bodies with a clear message', () => {
    const header = (inputs: unknown[]) => Buffer.from(JSON.stringify({ inputs }));
    const fp32Input = (size: unknown) => ({ name: 'x', datatype: 'FP32', shape: [2], parameters: { binary_data_size: size } });
    it.each([
      ['a header length past the body', () => decodeBinaryRequest(Buffer.from('{}'), 10), 'Inference-Header-Content-Length is 10, but the body has 2 bytes'],
      ['a header that is not JSON', () => decodeBinaryRequest(Buffer.from('{oops'), 5), 'the JSON header of the request is not valid JSON'],
      ['a size that does not fit the shape', () => { const h = header([fp32Input(4)]); return decodeBinaryRequest(Buffer.concat([h, Buffer.alloc(4)]), h.byteLength); }, 'input "x": binary_data_size is 4 bytes, but 2 FP32 elements of shape [2] take 8'],
      ['a size past the end of the body', () => { const h = header([fp32Input(8)]); return decodeBinaryRequest(Buffer.concat([h, Buffer.alloc(4)]), h.byteLength); }, 'input "x": binary_data_size 8 runs past the end of the body (4 bytes left)'],
      ['bytes nobody claims', () => { const h = header([fp32Input(8)]); return decodeBinaryRequest(Buffer.concat([h, Buffer.alloc(12)]), h.byteLength); }, 'the body has 4 bytes that no input\'s binary_data_size accounts for'],
      ['a negative size', () => { const h = header([fp32Input(-8)]); return decodeBinaryRequest(h, h.byteLength); }, 'input "x": binary_data_size must be a non-negative integer, got -8'],
      ['both data and a binary size', () => { const h = header([{ ...fp32Input(8), data: [1, 2] }]); return decodeBinaryRequest(Buffer.concat([h, Buffer.alloc(8)]), h.byteLength); }, 'input "x": has both "data" and binary_data_size; send one'],
      ['a BYTES length past its data', () => { const h = header([{ name: 's', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: 6 } }]); return decodeBinaryRequest(Buffer.concat([h, Buffer.from([9, 0, 0, 0, 1, 2])]), h.byteLength); }, 'input "s": binary BYTES element 0 claims 9 bytes, past the end of its data'],
      ['BYTES data that ends early', () => { const h = header([{ name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 8 } }]); return decodeBinaryRequest(Buffer.concat([h, Buffer.from([4, 0, 0, 0, 7, 7, 7, 7])]), h.byteLength); }, 'input "s": binary BYTES data ends before element 1 of 2'],
      // Found by the fuzzer (codecs.fuzz.spec.ts): a huge BYTES shape allocated its array before any check.
      ['a BYTES shape its data cannot hold', () => { const h = header([{ name: ' ', datatype: 'BYTES', shape: [Number.MAX_SAFE_INTEGER], parameters: { binary_data_size: 0 } }]); return decodeBinaryRequest(h, h.byteLength); }, `input " ": ${Number.MAX_SAFE_INTEGER} BYTES elements need at least`],
      ['BYTES data with leftovers', () => { const h = header([{ name: 's', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: 7 } }]); return decodeBinaryRequest(Buffer.concat([h, Buffer.from([1, 0, 0, 0, 7, 8, 9])]), h.byteLength); }, 'input "s": binary BYTES data has 2 bytes after its 1 elements'],
    ])('%s', (_what, decode, message) => {
      expect(decode).toThrow(message);
    });
  });
});
