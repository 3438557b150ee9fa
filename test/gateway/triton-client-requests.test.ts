import { request as httpRequest } from 'node:http';
import { gzipSync, deflateSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { runDirectly } from '../support/inference';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

const MLP = mlpOnnx([8, 16, 3]);
const INPUT = Float32Array.from({ length: 16 }, (_, index) => Math.cos(index));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * What Triton's Python client (tritonclient.http over geventhttpclient) puts on the wire, read from
 * its source: no Content-Type, ever; binary inputs appended after the JSON with
 * Inference-Header-Content-Length; `binary_data_output: true` when no outputs are named; optional
 * gzip/deflate Content-Encoding. Sent over a real socket, so Fastify sees exactly these headers.
 */
function tritonPost(port: number, path: string, headers: Record<string, string>, body: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'User-Agent': 'python/gevent-http-client-2.0.8', 'Content-Length': String(body.byteLength), ...headers } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** `_get_inference_request`: the JSON (key order as the client writes it), then each input's raw bytes. */
function tritonBody(request: Record<string, unknown>, binaryInputs: Buffer[]): { body: Buffer; jsonSize?: number } {
  const json = Buffer.from(JSON.stringify(request));
  return binaryInputs.length === 0 ? { body: json } : { body: Buffer.concat([json, ...binaryInputs]), jsonSize: json.byteLength };
}

/** `InferResult`: JSON up to Inference-Header-Content-Length, then each binary output by binary_data_size. */
function tritonResult(response: RawResponse): { json: any; output(name: string): Float32Array } {
  const headerLength = response.headers['inference-header-content-length'];
  const json = JSON.parse(response.body.subarray(0, headerLength === undefined ? undefined : Number(headerLength)).toString());
  const offsets = new Map<string, [number, number]>();
  let offset = headerLength === undefined ? 0 : Number(headerLength);
  for (const output of json.outputs ?? []) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    offsets.set(output.name, [offset, offset + size]);
    offset += size;
  }
  return {
    json,
    output(name) {
      const range = offsets.get(name);
      if (range) return new Float32Array(response.body.buffer.slice(response.body.byteOffset + range[0], response.body.byteOffset + range[1]));
      return Float32Array.from(json.outputs.find((output: { name: string }) => output.name === name).data);
    },
  };
}

describe('requests exactly as Triton\'s Python client sends them', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let port: number;
  let expected: Float32Array;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Triton Client Co');
    await createModel(app, account.apiKey, 'mlp');
    expect((await uploadOnnx(app, account.apiKey, 'mlp', MLP)).statusCode).toBe(201);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.app.getHttpServer().address() as { port: number }).port;
    expected = (await runDirectly(MLP, { input: new ort.Tensor('float32', INPUT, [2, 8]) })).output.data as Float32Array;
  });
  afterAll(() => app.close());

  const binaryInput = { name: 'input', shape: [2, 8], datatype: 'FP32', parameters: { binary_data_size: INPUT.byteLength } };
  const inputBytes = () => Buffer.from(INPUT.buffer);

  it('infer() with a binary input and no named outputs: binary outputs back', async () => {
    const { body, jsonSize } = tritonBody({ id: 'req-1', inputs: [binaryInput], parameters: { binary_data_output: true } }, [inputBytes()]);
    const response = await tritonPost(port, '/v2/models/mlp/infer', { ...bearer(account.apiKey), 'Inference-Header-Content-Length': String(jsonSize) }, body);
    expect(response.status, response.body.toString()).toBe(200);
    const result = tritonResult(response);
    expect(result.json).toMatchObject({ id: 'req-1', model_name: 'mlp', outputs: [{ name: 'output', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } }] });
    expect(Array.from(result.output('output'))).toEqual(Array.from(expected));
  });

  it('infer() with JSON data (binary_data=False) and InferRequestedOutput(binary_data=False): all JSON', async () => {
    const { body } = tritonBody({ inputs: [{ name: 'input', shape: [2, 8], datatype: 'FP32', data: Array.from(INPUT) }], outputs: [{ name: 'output', parameters: { binary_data: false } }] }, []);
    const response = await tritonPost(port, '/v2/models/mlp/versions/1/infer', bearer(account.apiKey), body);
    expect(response.status, response.body.toString()).toBe(200);
    expect(response.headers['inference-header-content-length']).toBeUndefined();
    expect(Array.from(tritonResult(response).output('output'))).toEqual(Array.from(expected));
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('infer(request_compression_algorithm=%s)', async (encoding, compress) => {
    const { body, jsonSize } = tritonBody({ inputs: [binaryInput], outputs: [{ name: 'output', parameters: { binary_data: true } }] }, [inputBytes()]);
    const response = await tritonPost(port, '/v2/models/mlp/infer', { ...bearer(account.apiKey), 'Content-Encoding': encoding, 'Inference-Header-Content-Length': String(jsonSize) }, compress(body));
    expect(response.status, response.body.toString()).toBe(200);
    expect(Array.from(tritonResult(response).output('output'))).toEqual(Array.from(expected));
  });

  it('infer() with InferRequestedOutput(class_count=2): the classification extension, as BYTES', async () => {
    const { body, jsonSize } = tritonBody({ inputs: [binaryInput], outputs: [{ name: 'output', parameters: { classification: 2, binary_data: true } }] }, [inputBytes()]);
    const response = await tritonPost(port, '/v2/models/mlp/infer', { ...bearer(account.apiKey), 'Inference-Header-Content-Length': String(jsonSize) }, body);
    expect(response.status, response.body.toString()).toBe(200);
    const headerLength = Number(response.headers['inference-header-content-length']);
    expect(JSON.parse(response.body.subarray(0, headerLength).toString()).outputs[0]).toMatchObject({ name: 'output', datatype: 'BYTES', shape: [2, 2] });
    // deserialize_bytes_tensor: a 4-byte little-endian length before each element.
    const labels: string[] = [];
    for (let offset = headerLength; offset < response.body.byteLength; ) {
      const length = response.body.readUInt32LE(offset);
      labels.push(response.body.subarray(offset + 4, offset + 4 + length).toString());
      offset += 4 + length;
    }
    const rows = [Array.from(expected.subarray(0, 3)), Array.from(expected.subarray(3, 6))];
    const top2 = rows.flatMap((row) => row.map((value, index) => ({ value, index })).sort((a, b) => b.value - a.value).slice(0, 2));
    expect(labels.map((label) => Number(label.split(':')[1]))).toEqual(top2.map((entry) => entry.index));
    labels.forEach((label, position) => expect(Number(label.split(':')[0])).toBeCloseTo(top2[position].value, 5));
  });

  it('get_inference_statistics() without a model: GET v2/models/stats lists every ready version', async () => {
    const response = await app.request({ url: '/v2/models/stats', headers: bearer(account.apiKey) });
    expect(response.statusCode, response.body).toBe(200);
    const stats = response.json().model_stats;
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ name: 'mlp', version: '1' });
    expect(stats[0].inference_stats.success.count).toBeGreaterThan(0);
  });

  it('answers errors as {"error": "<message>"}, which the client raises as InferenceServerException', async () => {
    const { body, jsonSize } = tritonBody({ inputs: [binaryInput], parameters: { binary_data_output: true } }, [inputBytes()]);
    const unknown = await tritonPost(port, '/v2/models/nope/infer', { ...bearer(account.apiKey), 'Inference-Header-Content-Length': String(jsonSize) }, body);
    expect(unknown.status).toBe(404);
    expect(typeof JSON.parse(unknown.body.toString()).error).toBe('string');
    // KServe's Python client takes the message only from a response typed exactly application/json.
    expect(unknown.headers['content-type']).toBe('application/json');

    const broken = await tritonPost(port, '/v2/models/mlp/infer', { ...bearer(account.apiKey), 'Content-Encoding': 'gzip' }, Buffer.from('not gzip at all'));
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body.toString()).error).toMatch(/does not decompress/);

    const brotli = await tritonPost(port, '/v2/models/mlp/infer', { ...bearer(account.apiKey), 'Content-Encoding': 'br' }, Buffer.from('{}'));
    expect(brotli.status).toBe(415);
    expect(JSON.parse(brotli.body.toString()).error).toMatch(/Content-Encoding "br" is not supported/);
  });

  it('other routes refuse a body without Content-Type, or of a type they do not take, saying what to send', async () => {
    const untyped = await tritonPost(port, '/v1/models', bearer(account.apiKey), Buffer.from('{"name":"other"}'));
    expect(untyped.status).toBe(415);
    expect(JSON.parse(untyped.body.toString()).error.message).toMatch(/no Content-Type header: send Content-Type: application\/json/);
    const text = await tritonPost(port, '/v1/models', { ...bearer(account.apiKey), 'Content-Type': 'text/plain' }, Buffer.from('{"name":"other"}'));
    expect(text.status).toBe(415);
    expect(JSON.parse(text.body.toString()).error.message).toMatch(/Content-Type "text\/plain" is not accepted here/);
  });
});
