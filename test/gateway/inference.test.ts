import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { identityOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { infer, runDirectly } from '../support/inference';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

const MLP = mlpOnnx([8, 16, 3]);

function rows(count: number, width: number, seed = 0): number[][] {
  return Array.from({ length: count }, (_, row) => Array.from({ length: width }, (_, column) => Math.sin(seed + row * width + column)));
}

describe('KServe V2 inference', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Inference Co');
    await createModel(app, account.apiKey, 'mlp');
    expect((await uploadOnnx(app, account.apiKey, 'mlp', MLP)).statusCode).toBe(201);
  });
  afterAll(() => app.close());

  it('answers server metadata, health, model metadata and readiness', async () => {
    expect((await app.request({ url: '/v2' })).json()).toEqual({ name: 'maas', version: '0.1.0', extensions: ['binary_tensor_data', 'classification', 'statistics'] });
    expect((await app.request({ url: '/v2/health/live' })).json()).toEqual({ live: true });
    expect((await app.request({ url: '/v2/health/ready' })).json()).toEqual({ ready: true });
    const metadata = await app.request({ url: '/v2/models/mlp', headers: bearer(account.apiKey) });
    expect(metadata.json()).toMatchObject({
      name: 'mlp',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 8] }],
      outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 3] }],
    });
    expect((await app.request({ url: '/v2/models/mlp/versions/1/ready', headers: bearer(account.apiKey) })).json()).toEqual({ name: 'mlp', version: '1', ready: true });
  });

  it('matches a direct onnxruntime run, echoes the id and keeps parameters', async () => {
    const data = rows(2, 8);
    const response = await infer(app, account.apiKey, 'mlp', { id: 'req-42', parameters: { trace: 'yes' }, inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 8], data }] });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ model_name: 'mlp', model_version: '1', id: 'req-42', parameters: { trace: 'yes' }, outputs: [{ name: 'output', datatype: 'FP32', shape: [2, 3] }] });
    const expected = await runDirectly(MLP, { input: new ort.Tensor('float32', Float32Array.from(data.flat()), [2, 8]) });
    expect(body.outputs[0].data).toEqual(Array.from(expected.output.data as Float32Array));
  });

  it('batched results equal unbatched ones, and concurrent requests are batched', async () => {
    const requests = Array.from({ length: 200 }, (_, index) => rows(1, 8, index));
    const responses = await Promise.all(requests.map((data) => infer(app, account.apiKey, 'mlp', { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 8], data }] })));
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    const session = await ort.InferenceSession.create(MLP);
    for (const [index, response] of responses.entries()) {
      const expected = await session.run({ input: new ort.Tensor('float32', Float32Array.from(requests[index].flat()), [1, 8]) });
      const actual = response.json().outputs[0].data as number[];
      actual.forEach((value, position) => expect(value).toBeCloseTo((expected.output.data as Float32Array)[position], 5));
    }
    await session.release();
    const stats = (await app.request({ url: '/v2/models/mlp/stats', headers: bearer(account.apiKey) })).json().model_stats[0];
    expect(stats.inference_count).toBeGreaterThanOrEqual(200);
    expect(stats.execution_count).toBeLessThan(stats.inference_count);
    expect(stats.inference_stats.success.count).toBeGreaterThanOrEqual(200);
  });

  it('round-trips every datatype onnxruntime supports, in JSON and in binary', async () => {
    const samples: Record<string, unknown[]> = {
      FP32: [1.5, -2, 0, 3.25],
      FP64: [Math.PI, -1e-300, 0, 2],
      INT8: [-128, 0, 1, 127],
      INT16: [-32768, 0, 1, 32767],
      INT32: [-2147483648, 0, 1, 2147483647],
      INT64: ['-9223372036854775808', '0', '9007199254740993', '9223372036854775807'],
      UINT8: [0, 1, 128, 255],
      UINT16: [0, 1, 40000, 65535],
      UINT32: [0, 1, 3000000000, 4294967295],
      UINT64: ['0', '1', '9007199254740993', '18446744073709551615'],
      BOOL: [true, false, false, true],
      FP16: [1, -2, 0.5, 65504],
      BYTES: ['', 'hello', 'ünïcødé ✓', 'x'],
    };
    for (const [datatype, data] of Object.entries(samples)) {
      const name = `identity-${datatype.toLowerCase()}`;
      await createModel(app, account.apiKey, name);
      const upload = await uploadOnnx(app, account.apiKey, name, identityOnnx(datatype));
      expect(upload.statusCode, `${datatype}: ${upload.body}`).toBe(201);
      const json = await infer(app, account.apiKey, name, { inputs: [{ name: 'input', datatype, shape: [1, 4], data }] });
      expect(json.statusCode, `${datatype}: ${json.body}`).toBe(200);
      const expected = data.map((value) => (typeof value === 'string' && datatype !== 'BYTES' ? BigInt(value) : value));
      const parsed = JSON.parse(json.body.replace(/("data":\[)([^\]]*)/, (_, head: string, values: string) => (datatype.endsWith('64') && datatype.includes('INT') ? head + values.replace(/-?\d+/g, '"$&"') : head + values)));
      const returned = (parsed.outputs[0].data as unknown[]).map((value) => (typeof value === 'string' && datatype !== 'BYTES' ? BigInt(value) : value));
      expect(returned, datatype).toEqual(expected);

      const binary = await app.request({
        method: 'POST',
        url: `/v2/models/${name}/infer`,
        headers: { ...bearer(account.apiKey), 'content-type': 'application/json' },
        payload: { inputs: [{ name: 'input', datatype, shape: [1, 4], data }], outputs: [{ name: 'output', parameters: { binary_data: true } }] },
      });
      expect(binary.statusCode, datatype).toBe(200);
      const headerLength = Number(binary.headers['inference-header-content-length']);
      const header = JSON.parse(binary.rawPayload.subarray(0, headerLength).toString());
      expect(header.outputs[0]).toMatchObject({ name: 'output', datatype, shape: [1, 4] });
      expect(binary.rawPayload.byteLength - headerLength).toBe(header.outputs[0].parameters.binary_data_size);
    }
  });

  it('accepts binary requests (Triton binary extension)', async () => {
    const values = Float32Array.from(rows(1, 8).flat());
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 8], parameters: { binary_data_size: 32 } }], parameters: { binary_data_output: true } }));
    const response = await app.request({
      method: 'POST',
      url: '/v2/models/mlp/infer',
      headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.byteLength) },
      payload: Buffer.concat([header, Buffer.from(values.buffer)]),
    });
    expect(response.statusCode, response.body).toBe(200);
    const headerLength = Number(response.headers['inference-header-content-length']);
    const output = response.rawPayload.subarray(headerLength);
    const expected = await runDirectly(MLP, { input: new ort.Tensor('float32', values, [1, 8]) });
    expect(Array.from(new Float32Array(output.buffer.slice(output.byteOffset, output.byteOffset + output.byteLength)))).toEqual(Array.from(expected.output.data as Float32Array));
  });

  it('switches the served version when an alias moves, without a restart', async () => {
    await createModel(app, account.apiKey, 'switch');
    const first = mlpOnnx([4, 2], { seed: 10 });
    const second = mlpOnnx([4, 2], { seed: 20 });
    await uploadOnnx(app, account.apiKey, 'switch', first);
    await uploadOnnx(app, account.apiKey, 'switch', second);
    const request = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [[1, 2, 3, 4]] }] };
    const outputFrom = async () => (await infer(app, account.apiKey, 'switch', request)).json();
    const expectedOf = async (model: Buffer) => Array.from((await runDirectly(model, { input: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) })).output.data as Float32Array);

    expect((await outputFrom()).model_version).toBe('2');
    await app.request({ method: 'PUT', url: '/v1/models/switch/aliases/production', headers: bearer(account.apiKey), payload: { version: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterMove = await outputFrom();
    expect(afterMove.model_version).toBe('1');
    expect(afterMove.outputs[0].data).toEqual(await expectedOf(first));
    await app.request({ method: 'PUT', url: '/v1/models/switch/aliases/production', headers: bearer(account.apiKey), payload: { version: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await outputFrom()).outputs[0].data).toEqual(await expectedOf(second));
  });

  it('the predict convenience API takes named nested arrays and post-processes', async () => {
    const response = await app.request({ method: 'POST', url: '/v1/models/mlp/predict', headers: bearer(account.apiKey), payload: { inputs: { input: rows(2, 8) }, postprocess: { softmax: true, topk: 2 } } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.outputs.output).toMatchObject({ datatype: 'FP32', shape: [2, 3] });
    const scores = body.postprocessed.scores.data as number[];
    expect(scores[0] + scores[1] + scores[2]).toBeCloseTo(1, 5);
    expect(body.postprocessed.topk.indices).toMatchObject({ datatype: 'INT64', shape: [2, 2] });
  });

  it('exports Triton-named Prometheus metrics to operators only', async () => {
    const metrics = await app.request({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/nv_inference_request_success\{tenant="[^"]+",model="mlp",version="1"\} \d+/);
    expect(metrics.body).toContain('nv_inference_exec_count');
    const remote = await app.request({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(remote.statusCode).toBe(403);
  });
});
