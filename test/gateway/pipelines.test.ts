import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { solidImage } from '../fixtures/images';
import { channelMeanOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, multipartBody, uploadOnnx } from '../support/uploads';

const COLOURS = ['red', 'green', 'blue'];
const IMAGE_PIPELINE = { preprocess: { image: [{ image: { width: 8, height: 8, fit: 'fill' } }, { scale: 1 / 255 }] }, postprocess: { labels: COLOURS, topk: 2 } };

describe('inference pipelines', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let other: SignedUpAccount;
  const predict = (model: string, payload: unknown, key = account.apiKey) => app.request({ method: 'POST', url: `/v1/models/${model}/predict`, headers: bearer(key), payload });
  const putPipeline = (model: string, version: string, pipeline: unknown, key = account.apiKey) => app.request({ method: 'PUT', url: `/v1/models/${model}/versions/${version}/pipeline`, headers: bearer(key), payload: pipeline });

  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Pipelines Co');
    other = await signUp(app, 'Other Co');
    await createModel(app, account.apiKey, 'colours');
    // The pipeline travels with the upload, as a multipart field.
    const upload = multipartBody([['colours.onnx', channelMeanOnnx(8)]], { pipeline: JSON.stringify(IMAGE_PIPELINE) });
    const created = await app.request({ method: 'POST', url: '/v1/models/colours/versions', headers: { ...bearer(account.apiKey), 'content-type': upload.contentType }, payload: upload.body });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().pipeline.preprocess.image[0].image).toEqual({ width: 8, height: 8, channels: 3, layout: 'NHWC', fit: 'fill' });
  });
  afterAll(() => app.close());

  it('predicts from a PNG sent as base64: decoded, resized to the input, scaled, ranked with labels', async () => {
    const png = await solidImage(40, 24, [204, 51, 0]);
    const response = await predict('colours', { inputs: { image: png.toString('base64') } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.outputs.scores.shape).toEqual([1, 3]);
    expect(body.predictionsOf).toBe('scores');
    expect(body.predictions).toHaveLength(1);
    expect(body.predictions[0].map((entry: { label: string }) => entry.label)).toEqual(['red', 'green']);
    expect(body.predictions[0][0].score).toBeCloseTo(0.8, 6);
    expect(body.predictions[0][1].score).toBeCloseTo(0.2, 6);
    expect(response.headers['server-timing']).toMatch(/^image;dur=[\d.]+, tensor\+scale;dur=[\d.]+, infer;dur=[\d.]+, postprocess;dur=[\d.]+$/);
  });

  it('predicts from PNG, JPEG and WebP images sent as multipart file parts, one row per part', async () => {
    const form = multipartBody([['a.png', await solidImage(9, 9, [0, 255, 0]), 'image'], ['b.jpg', await solidImage(30, 30, [0, 0, 250], 'jpeg'), 'image'], ['c.webp', await solidImage(12, 20, [240, 10, 10], 'webp'), 'image']], { postprocess: JSON.stringify({ topk: 1 }) });
    const response = await app.request({ method: 'POST', url: '/v1/models/colours/predict', headers: { ...bearer(account.apiKey), 'content-type': form.contentType }, payload: form.body });
    expect(response.statusCode, response.body).toBe(200);
    // The request's topk overrides the stored one; the stored labels stay.
    expect(response.json().predictions.map((row: Array<{ label: string }>) => row.map((entry) => entry.label))).toEqual([['green'], ['blue'], ['red']]);
  });

  it('says which step failed for an image that is not an image', async () => {
    const response = await predict('colours', { inputs: { image: Buffer.from('these are not pixels').toString('base64') } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'PREPROCESSING_FAILED', message: expect.stringMatching(/^input "image", step image: the bytes are not an image/) });
  });

  it('an NCHW model with mean/std and a softmax: scores sum to one', async () => {
    await createModel(app, account.apiKey, 'colours-nchw');
    expect((await uploadOnnx(app, account.apiKey, 'colours-nchw', channelMeanOnnx(4, 'NCHW'))).statusCode).toBe(201);
    const stored = await putPipeline('colours-nchw', '1', { preprocess: { image: [{ image: { width: 4, height: 4, layout: 'NCHW', mean: [0, 0, 255], std: 255 } }] }, postprocess: { softmax: true, labels: COLOURS } });
    expect(stored.statusCode, stored.body).toBe(200);
    const response = await predict('colours-nchw', { inputs: { image: (await solidImage(4, 4, [255, 0, 255])).toString('base64') } });
    const ranked = response.json().predictions[0];
    // Channel means after (pixel − mean) / std: red 1, green 0, blue 0.
    const total = Math.E + 2;
    expect(ranked.map((entry: { label: string }) => entry.label)).toEqual(['red', 'green', 'blue']);
    expect(ranked[0].score).toBeCloseTo(Math.E / total, 6);
  });

  it('refuses a pipeline that does not fit the signature, naming why, and keeps the old one', async () => {
    const response = await putPipeline('colours', '1', { preprocess: { image: [{ image: { width: 16, height: 8 } }], pixels: [{ scale: 2 }] }, postprocess: { labels: ['red', 'green'] } });
    expect(response.statusCode).toBe(400);
    const { code, message } = response.json().error;
    expect(code).toBe('INVALID_PIPELINE');
    expect(message).toContain('width 16 does not fit the model\'s input [-1,8,8,3] (NHWC)');
    expect(message).toContain('preprocess."pixels": the model has no such input (its inputs: "image")');
    expect(message).toContain('postprocess.labels: 2 labels, but output "scores" has 3 classes');
    expect((await app.request({ url: '/v1/models/colours/versions/1/pipeline', headers: bearer(account.apiKey) })).json().pipeline.postprocess.labels).toEqual(COLOURS);
  });

  it('an upload whose pipeline does not fit leaves no version behind', async () => {
    const before = (await app.request({ url: '/v1/models/colours/versions', headers: bearer(account.apiKey) })).json().length;
    const response = await app.request({ method: 'POST', url: '/v1/models/colours/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'x-model-format': 'onnx', 'x-model-pipeline': JSON.stringify({ postprocess: { output: 'nope' } }) }, payload: channelMeanOnnx(8) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('postprocess.output: the model has no output "nope" (its outputs: "scores")');
    expect((await app.request({ url: '/v1/models/colours/versions', headers: bearer(account.apiKey) })).json()).toHaveLength(before);
    const notJson = await app.request({ method: 'POST', url: '/v1/models/colours/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'x-model-format': 'onnx', 'x-model-pipeline': '{nope' }, payload: channelMeanOnnx(8) });
    expect(notJson.statusCode).toBe(400);
  });

  it('numeric steps for tabular inputs; without a postprocess a regressor answers values', async () => {
    await createModel(app, account.apiKey, 'tabular');
    expect((await uploadOnnx(app, account.apiKey, 'tabular', mlpOnnx([2, 1]))).statusCode).toBe(201);
    const raw = (await predict('tabular', { inputs: { input: [[1, 2], [3, 4]] } })).json();
    expect(raw.predictions).toEqual(raw.outputs.output.data);
    expect((await putPipeline('tabular', '1', { preprocess: { input: [{ normalize: { mean: [1, 2], std: [2, 2] } }] } })).statusCode).toBe(200);
    const normalised = (await predict('tabular', { inputs: { input: [[3, 4]] } })).json();
    expect(normalised.predictions).toEqual([expect.any(Number)]);
    // (3−1)/2 = 1 and (4−2)/2 = 1: the same as sending [1, 1] through a version without the step.
    expect((await app.request({ method: 'DELETE', url: '/v1/models/tabular/versions/1/pipeline', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    const withoutPipeline = (await predict('tabular', { inputs: { input: [[1, 1]] } })).json();
    expect(normalised.predictions).toEqual(withoutPipeline.predictions);
    const wrongShape = await putPipeline('tabular', '1', { preprocess: { input: [{ normalize: { mean: [1, 2, 3], std: 1 } }] } });
    expect(wrongShape.json().error.message).toContain('normalize.mean: 3 values, but input "input" has 2 features on axis 1');
  });

  it("another tenant's pipeline is a 404, to read and to write", async () => {
    expect((await app.request({ url: '/v1/models/colours/versions/1/pipeline', headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await putPipeline('colours', '1', IMAGE_PIPELINE, other.apiKey)).statusCode).toBe(404);
    expect((await predict('colours', { inputs: { image: 'AAAA' } }, other.apiKey)).statusCode).toBe(404);
  });

  it('refuses a malformed predict request with the field at fault', async () => {
    const response = await predict('colours', { inputs: [1, 2], postprocess: { topk: 0 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/inputs: inputs must be an object.*postprocess.topk/s);
  });
});
