import { beforeAll, describe, expect, it } from 'vitest';
import { convOnnx, mlpOnnx, outlierOnnx } from '../fixtures/onnx-models';
import { denseTfjsModel } from '../fixtures/tfjs-models';
import { bearer, signUp, type SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { type TestApp } from '../support/test-app';
import { useTrainingPlatform, waitUntilFinished } from '../support/training';
import { createModel, multipartBody, uploadOnnx } from '../support/uploads';

const MLP = mlpOnnx([64, 256, 256, 10]);

describe('model compression', () => {
  const platform = useTrainingPlatform({});
  let app: TestApp;
  let account: SignedUpAccount;
  const compress = (model: string, version: string, body: unknown, key = account.apiKey) => app.request({ method: 'POST', url: `/v1/models/${model}/versions/${version}/compress`, headers: bearer(key), payload: body });
  const finished = (id: string) => waitUntilFinished(app, account.apiKey, `/v1/compressions/${id}`);

  beforeAll(async () => {
    ({ app, account } = platform);
    for (const [name, bytes] of [['mlp', MLP], ['cnn', convOnnx()], ['outliers', outlierOnnx()], ['old-mlp', mlpOnnx([64, 128, 10], { opset: 9 })]] as const) {
      await createModel(app, account.apiKey, name);
      expect((await uploadOnnx(app, account.apiKey, name, bytes)).statusCode).toBe(201);
    }
  });

  it('int8 on an MLP: a new version ~4× smaller, within tolerance of its parent, with its report', async () => {
    expect((await app.request({ method: 'PUT', url: '/v1/models/mlp/versions/1/pipeline', headers: bearer(account.apiKey), payload: { postprocess: { softmax: true, topk: 1 } } })).statusCode).toBe(200);
    const created = await compress('mlp', '1', { method: 'int8' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ model: 'mlp', version: 1, method: 'int8', tolerance: 0.05 });
    const job = await finished(created.json().id);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const { report } = job;
    expect(report.sizeBytes.ratio).toBeGreaterThan(3.5);
    expect(report.rewritten).toEqual({ int8: 3, fp16: 0 });
    expect(report.samples).toEqual({ rows: 16, generated: true });
    expect(report.outputs[0].relativeL2).toBeLessThan(0.05);
    expect(report.outputs[0].argmaxAgreement).toBeGreaterThan(0.8);
    expect(report.latencyMs.map((row: { batch: number }) => row.batch)).toEqual([1, 16]);
    expect(job.resultVersion).toBe(2);

    const version = (await app.request({ url: '/v1/models/mlp/versions/2', headers: bearer(account.apiKey) })).json();
    expect(version).toMatchObject({ source: 'compression', sizeBytes: report.sizeBytes.compressed, metadata: { compressedFrom: 1, compression: { method: 'int8' } }, pipeline: { postprocess: { softmax: true, topk: 1 } } });
    // It serves, close to its parent.
    const data = Array.from({ length: 64 }, (_, index) => Math.cos(index));
    const [parent, child] = await Promise.all(['1', '2'].map((v) => infer(app, account.apiKey, 'mlp', { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data }] }, v)));
    const [a, b] = [parent.json().outputs[0].data as number[], child.json().outputs[0].data as number[]];
    a.forEach((value, index) => expect(Math.abs(value - b[index])).toBeLessThan(0.05 * Math.max(...a.map(Math.abs))));
  });

  it('fp16 and auto on the MLP: halves, or int8 where it pays (MatMul/Gemm)', async () => {
    const halved = await finished((await compress('mlp', '1', { method: 'fp16' })).json().id);
    expect(halved.status, JSON.stringify(halved)).toBe('succeeded');
    expect(halved.report.sizeBytes.ratio).toBeGreaterThan(1.9);
    expect(halved.report.outputs[0].relativeL2).toBeLessThan(1e-3);
    const auto = await finished((await compress('mlp', '1', { method: 'auto' })).json().id);
    expect(auto.report.rewritten).toEqual({ int8: 3, fp16: 0 });
  });

  it('fp16 on a conv model: ~2× smaller, errors of 1e-3 at most; auto picks fp16 for it too', async () => {
    for (const method of ['fp16', 'auto']) {
      const job = await finished((await compress('cnn', '1', { method })).json().id);
      expect(job.status, JSON.stringify(job)).toBe('succeeded');
      expect(job.report.sizeBytes.ratio).toBeGreaterThan(1.9);
      expect(job.report.rewritten).toEqual({ int8: 0, fp16: 3 });
      expect(job.report.outputs[0].relativeL2).toBeLessThan(1e-3);
    }
  });

  it('refuses a model built to compress badly, with its report and no version', async () => {
    // Feature 0 carries each column's outlier: with it at 0, int8 loses the small weights.
    const samples = { input: Array.from({ length: 4 }, (_, row) => Array.from({ length: 16 }, (_, column) => (column === 0 ? 0 : Math.sin(row + column)))) };
    const job = await finished((await compress('outliers', '1', { method: 'int8', samples })).json().id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('OVER_TOLERANCE');
    expect(job.error.message).toMatch(/output "output" of the compressed model is off by a relative L2 of [\d.]+, over the tolerance 0.05: no version was made/);
    expect(job.report.outputs[0].relativeL2).toBeGreaterThan(0.5);
    expect(job.report.samples).toEqual({ rows: 4, generated: false });
    expect((await app.request({ url: '/v1/models/outliers/versions', headers: bearer(account.apiKey) })).json()).toHaveLength(1);
  });

  it('opset 9: int8 is refused naming why, auto stores its weights in fp16', async () => {
    const refused = await finished((await compress('old-mlp', '1', { method: 'int8' })).json().id);
    expect(refused.error).toEqual({ code: 'COMPRESSION_REFUSED', message: expect.stringContaining('int8 needs opset 11 (DynamicQuantizeLinear); the model imports opset 9') });
    const auto = await finished((await compress('old-mlp', '1', { method: 'auto' })).json().id);
    expect(auto.status, JSON.stringify(auto)).toBe('succeeded');
    expect(auto.report.rewritten).toEqual({ int8: 0, fp16: 2 });
  });

  it('TF.js layers models: fp16 and int8 weight storage through the converter\'s quantization format', async () => {
    const saved = await denseTfjsModel(64, 3);
    await createModel(app, account.apiKey, 'tfjs-dense');
    const form = multipartBody([['model.json', saved.modelJson], ...[...saved.shards].map(([name, data]) => [name, data] as [string, Buffer])]);
    expect((await app.request({ method: 'POST', url: '/v1/models/tfjs-dense/versions', headers: { ...bearer(account.apiKey), 'content-type': form.contentType }, payload: form.body })).statusCode).toBe(201);
    for (const method of ['fp16', 'int8']) {
      const job = await finished((await compress('tfjs-dense', '1', { method })).json().id);
      expect(job.status, JSON.stringify(job)).toBe('succeeded');
      expect(job.report.outputs[0].relativeL2).toBeLessThan(method === 'fp16' ? 1e-3 : 0.05);
      // The bundle also holds the model's JSON topology, which stays as it was.
      expect(job.report.sizeBytes.ratio).toBeGreaterThan(method === 'fp16' ? 1.3 : 1.6);
    }
  });

  it('refuses bad requests with a 4xx naming the problem', async () => {
    const unknown = await compress('mlp', '1', { method: 'int4' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('method must be int8, fp16 or auto');
    const badSamples = await compress('mlp', '1', { method: 'int8', samples: { pixels: [[1]] } });
    expect(badSamples.statusCode).toBe(400);
    expect(badSamples.json().error.message).toContain('samples: missing input "input"');
    const wrongShape = await compress('mlp', '1', { method: 'int8', samples: { input: [[1, 2]] } });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().error.message).toContain('"input"');
    expect((await compress('mlp', '1', { method: 'int8', tolerance: 0 })).statusCode).toBe(400);
    expect((await compress('mlp', '9', { method: 'int8' })).statusCode).toBe(404);
    const nothing = await finished((await compress('cnn', '1', { method: 'int8' })).json().id);
    expect(nothing.error).toEqual({ code: 'COMPRESSION_REFUSED', message: expect.stringContaining('nothing to compress with int8') });
  });

  it("another tenant's versions and compressions are a 404", async () => {
    const other = await signUp(app, 'Compression Rival');
    const mine = (await app.request({ url: '/v1/models/mlp/versions/1/compressions', headers: bearer(account.apiKey) })).json().at(-1);
    expect(mine).toMatchObject({ method: 'int8', status: 'succeeded', resultVersion: 2 });
    expect((await app.request({ url: `/v1/compressions/${mine.id}`, headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await app.request({ url: `/v1/compressions/${mine.id}/events`, headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await compress('mlp', '1', { method: 'int8' }, other.apiKey)).statusCode).toBe(404);
    expect((await app.request({ url: '/v1/models/mlp/versions/1/compressions', headers: bearer(other.apiKey) })).statusCode).toBe(404);
  });
});
