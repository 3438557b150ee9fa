import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { conditionalGraphModel, denseGraphModel, savedGraphModel, type GraphModelFiles } from '../fixtures/tfjs-graph-models';
import { tarOf, zipOf } from '../fixtures/tfjs-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, multipartBody } from '../support/uploads';

/** What a user running the model with TensorFlow.js itself gets. */
async function runDirectly(files: GraphModelFiles, feeds: Record<string, tf.Tensor>): Promise<number[]> {
  await tf.setBackend('cpu');
  const json = files.json as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>; signature?: object };
  const weights = [...files.shards.values()][0];
  const model = await loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer, signature: json.signature }));
  const output = (await model.executeAsync(feeds)) as tf.Tensor;
  return Array.from(await output.data());
}

describe('TensorFlow.js graph models', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  const upload = (model: string, form: { body: Buffer; contentType: string }) => app.request({ method: 'POST', url: `/v1/models/${model}/versions`, headers: { ...bearer(account.apiKey), 'content-type': form.contentType }, payload: form.body });
  const multipartOf = (files: GraphModelFiles) => multipartBody([['model.json', files.modelJson], ...[...files.shards].map(([name, data]) => [name, data] as [string, Buffer])]);

  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Graph Co');
  });
  afterAll(() => app.close());

  it('accepts a graph model as multipart files, a .zip and a .tar, with its signature and KServe metadata', async () => {
    await createModel(app, account.apiKey, 'dense-graph');
    const files = denseGraphModel();
    const uploads = [
      await upload('dense-graph', multipartOf(files)),
      await app.request({ method: 'POST', url: '/v1/models/dense-graph/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/zip' }, payload: zipOf(files) }),
      await app.request({ method: 'POST', url: '/v1/models/dense-graph/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/x-tar' }, payload: await tarOf(files) }),
    ];
    for (const response of uploads) expect(response.statusCode, response.body).toBe(201);
    expect(uploads[0].json()).toMatchObject({ runtime: 'tfjs', signature: { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }] } });
    const metadata = (await app.request({ url: '/v2/models/dense-graph/versions/3', headers: bearer(account.apiKey) })).json();
    expect(metadata).toMatchObject({ platform: 'tensorflowjs', parameters: { format: 'graph-model' }, inputs: [{ name: 'x', shape: [-1, 3] }] });
  });

  it('infers what a direct tf.loadGraphModel run gives, batched', async () => {
    const files = denseGraphModel();
    const rows = [[1, 2, 3], [-1, 0.5, 4], [0, 0, 0]];
    const answer = await infer(app, account.apiKey, 'dense-graph', { inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 3], data: rows.flat() }] });
    expect(answer.statusCode, answer.body).toBe(200);
    const [output] = answer.json().outputs;
    expect(output).toMatchObject({ name: 'y', datatype: 'FP32', shape: [3, 2] });
    const expected = await runDirectly(files, { x: tf.tensor(rows) });
    output.data.forEach((value: number, index: number) => expect(value).toBeCloseTo(expected[index], 5));
    // And by hand: relu([1,2,3]·W + b) = relu([2.35, 3.8]).
    expect(output.data.slice(0, 2)).toEqual([Math.fround(2.35), Math.fround(3.8)]);
  });

  it('runs a graph with control flow (executeAsync), a BOOL input and outputs learned by running it', async () => {
    await createModel(app, account.apiKey, 'conditional');
    const files = conditionalGraphModel();
    const uploaded = await upload('conditional', multipartOf(files));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json().signature).toEqual({ inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }, { name: 'double', datatype: 'BOOL', shape: [] }], outputs: [{ name: 'result', datatype: 'FP32', shape: [-1, 2] }] });
    for (const double of [true, false]) {
      const answer = await infer(app, account.apiKey, 'conditional', { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1.5, -2] }, { name: 'double', datatype: 'BOOL', shape: [], data: [double] }] });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json().outputs[0].data).toEqual(await runDirectly(files, { x: tf.tensor([[1.5, -2]]), double: tf.scalar(double, 'bool') }));
      expect(answer.json().outputs[0].data).toEqual(double ? [3, -4] : [-1.5, 2]);
    }
  });

  it('detects a graph model whose model.json has no "format" by its list of nodes', async () => {
    await createModel(app, account.apiKey, 'unlabelled-graph');
    const { json, shards } = denseGraphModel();
    const { format: _format, ...withoutFormat } = json;
    const response = await upload('unlabelled-graph', multipartOf(savedGraphModel(withoutFormat, [...shards.values()][0])));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().metadata.runtime.format).toBe('graph-model');
  });

  it('refuses a broken graph model in one sentence naming the format, never a dump of the model', async () => {
    await createModel(app, account.apiKey, 'broken-graph');
    const { json, shards } = denseGraphModel();
    const topology = json.modelTopology as { node: Array<{ op: string }> };
    const broken = { ...json, modelTopology: { ...topology, node: topology.node.map((node) => (node.op === 'Relu' ? { ...node, op: 'NoSuchOp' } : node)) } };
    const response = await upload('broken-graph', multipartOf(savedGraphModel(broken, [...shards.values()][0])));
    expect(response.statusCode).toBe(400);
    const { code, message } = response.json().error;
    expect(code).toBe('INVALID_MODEL');
    expect(message).toMatch(/^the upload is a TensorFlow\.js graph model \(model\.json says "format": "graph-model"\), but TensorFlow\.js could not load it as one: .*NoSuchOp/);
    expect(message).not.toMatch(/[{}]/);
    expect(message.length).toBeLessThan(320);
    expect((await app.request({ url: '/v1/models/broken-graph/versions', headers: bearer(account.apiKey) })).json()).toEqual([]);
  });
});
