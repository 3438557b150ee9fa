import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TrainingQueue } from '../../libs/jobs/src/queue/training-queue';
import { badlyScaledCsv, barImagesJsonl, separableCsv, trendSequencesJsonl } from '../fixtures/datasets';
import { bearer, signUp, type SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { type TestApp } from '../support/test-app';
import { QUEUE_BACKENDS, startJob, uploadDataset, useTrainingPlatform, waitForJob } from '../support/training';

const dense = (units: number) => ({ type: 'dense', units, activation: 'relu' });

for (const { backend, environment, available } of QUEUE_BACKENDS) {
  describe.skipIf(!available())(`training over ${backend}: architectures, preprocessing, validation, isolation`, () => edgeSuite(backend, environment));
}

function edgeSuite(backend: string, environment: Record<string, string>): void {
  const platform = useTrainingPlatform(environment);
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(() => {
    ({ app, account } = platform);
  });

  it('trains well on badly scaled features only with normalize, and the served model takes raw features', async () => {
    expect((await uploadDataset(app, account.apiKey, 'scaled', badlyScaledCsv())).statusCode).toBe(201);
    const common = { dataset: 'scaled', task: 'classification', architecture: { layers: [dense(8)] }, epochs: 15, learningRate: 0.01, seed: 4 };
    const [raw, normalized] = await Promise.all([
      startJob(app, account.apiKey, { ...common, model: `scaled-raw-${backend}` }),
      startJob(app, account.apiKey, { ...common, model: 'scaled-normalized', preprocessing: { normalize: 'standard' } }),
    ]);
    const rawJob = await waitForJob(app, account.apiKey, raw.id);
    const normalizedJob = await waitForJob(app, account.apiKey, normalized.id);
    expect(normalizedJob.metrics.val_accuracy).toBeGreaterThan(0.9);
    expect(rawJob.metrics.val_accuracy).toBeLessThan(normalizedJob.metrics.val_accuracy);
    // Class "1" sits at big ≈ 10,300: the raw value goes in, the model's own first layer scales it.
    const inputName = (await app.request({ url: '/v1/models/scaled-normalized/versions/1', headers: bearer(account.apiKey) })).json().signature.inputs[0].name;
    const scores = (await infer(app, account.apiKey, 'scaled-normalized', { inputs: [{ name: inputName, shape: [2, 2], datatype: 'FP32', data: [10_300, 0.001, 9_700, 0.001] }] })).json().outputs[0].data;
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[2]).toBeGreaterThan(scores[3]);
  });

  it('trains a small CNN on 8×8 images (on the cpu backend, saying why) and an LSTM on sequences', async () => {
    expect((await uploadDataset(app, account.apiKey, 'bars', barImagesJsonl(), 'jsonl')).statusCode).toBe(201);
    expect((await uploadDataset(app, account.apiKey, 'trends', trendSequencesJsonl(), 'jsonl')).statusCode).toBe(201);
    const cnn = await startJob(app, account.apiKey, { model: 'bars', dataset: 'bars', task: 'classification', architecture: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'maxPooling2d', poolSize: 2 }, { type: 'flatten' }] }, epochs: 8, learningRate: 0.01, seed: 5 });
    const lstm = await startJob(app, account.apiKey, { model: 'trends', dataset: 'trends', task: 'classification', architecture: { layers: [{ type: 'lstm', units: 8 }] }, epochs: 10, learningRate: 0.02, seed: 6 });
    const cnnJob = await waitForJob(app, account.apiKey, cnn.id);
    expect(cnnJob, JSON.stringify(cnnJob)).toMatchObject({ status: 'succeeded', backend: 'cpu' });
    expect(cnnJob.metrics.val_accuracy).toBeGreaterThan(0.9);
    const events = (await app.request({ url: `/v1/training-jobs/${cnn.id}/events`, headers: bearer(account.apiKey) })).json().data;
    expect(events.some((event: any) => event.level === 'warn' && /conv layers train on the cpu backend/.test(event.message))).toBe(true);
    const lstmJob = await waitForJob(app, account.apiKey, lstm.id);
    expect(lstmJob.status, JSON.stringify(lstmJob)).toBe('succeeded');
    expect(lstmJob.metrics.val_accuracy).toBeGreaterThan(0.9);
  });

  it('exports a dense network to ONNX as well: onnxruntime serves it, matching TF.js within 1e-5', async () => {
    const created = await startJob(app, account.apiKey, { model: 'exported', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(16), { type: 'dropout', rate: 0.1 }] }, preprocessing: { normalize: 'standard' }, epochs: 5, learningRate: 0.01, seed: 10, export: ['onnx'] });
    const job = await waitForJob(app, account.apiKey, created.id);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const versions = (await app.request({ url: '/v1/models/exported/versions', headers: bearer(account.apiKey) })).json();
    const onnxVersion = versions.find((version: any) => version.runtime === 'onnx');
    const events = (await app.request({ url: `/v1/training-jobs/${created.id}/events`, headers: bearer(account.apiKey) })).json().data;
    expect(onnxVersion, JSON.stringify(events.map((event: any) => event.message))).toBeDefined();
    expect(onnxVersion.metadata).toMatchObject({ exportOf: 1, onnxExportOfJob: created.id });
    expect(onnxVersion.metadata.onnxMaxAbsDifference).toBeLessThan(1e-5);
    const body = (name: string) => ({ inputs: [{ name, shape: [2, 4], datatype: 'FP32', data: [3, 0, -3, 1, -3, 3, 0, -1] }] });
    const tfjsInput = versions.find((version: any) => version.runtime === 'tfjs').signature.inputs[0].name;
    const fromTfjs = (await infer(app, account.apiKey, 'exported', body(tfjsInput), '1')).json().outputs[0].data as number[];
    const fromOnnx = (await infer(app, account.apiKey, 'exported', body('input'), String(onnxVersion.version))).json().outputs[0].data as number[];
    fromOnnx.forEach((value, index) => expect(Math.abs(value - fromTfjs[index])).toBeLessThan(1e-5));
    const refused = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(account.apiKey), payload: { model: 'x', dataset: 'bars', task: 'classification', architecture: { layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }] }, export: ['onnx'] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('export ["onnx"] takes dense and dropout layers only; this network has conv2d, flatten');
  });

  it('promotes a checkpoint to a version of its own (without optimizer state) that serves', async () => {
    const created = await startJob(app, account.apiKey, { model: 'promoted', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(8)] }, epochs: 3, seed: 12 });
    await waitForJob(app, account.apiKey, created.id);
    const checkpoints = (await app.request({ url: `/v1/training-jobs/${created.id}/checkpoints`, headers: bearer(account.apiKey) })).json();
    expect(checkpoints.map((checkpoint: any) => checkpoint.epoch)).toEqual([1, 2, 3]);
    expect(checkpoints[0].metrics).toMatchObject({ epoch: 1, loss: expect.any(Number), val_accuracy: expect.any(Number) });
    const promoted = await app.request({ method: 'POST', url: `/v1/training-jobs/${created.id}/checkpoints/1/promote`, headers: bearer(account.apiKey) });
    expect(promoted.statusCode, promoted.body).toBe(201);
    expect(promoted.json()).toEqual({ model: 'promoted', version: 2, epoch: 1 });
    const version = (await app.request({ url: '/v1/models/promoted/versions/2', headers: bearer(account.apiKey) })).json();
    expect(version.metadata).toMatchObject({ checkpointEpoch: 1, trainingJob: created.id });
    const answer = await infer(app, account.apiKey, 'promoted', { inputs: [{ name: version.signature.inputs[0].name, shape: [1, 4], datatype: 'FP32', data: [3, 0, -3, 1] }] }, '2');
    expect(answer.statusCode, answer.body).toBe(200);
    expect((await app.request({ method: 'POST', url: `/v1/training-jobs/${created.id}/checkpoints/9/promote`, headers: bearer(account.apiKey) })).statusCode).toBe(404);
  });

  it('stops early when the monitored loss stops improving', async () => {
    const created = await startJob(app, account.apiKey, { model: 'early', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(8)] }, epochs: 200, learningRate: 0.05, seed: 7, earlyStopping: { metric: 'val_loss', patience: 2, minDelta: 0.05 } });
    const job = await waitForJob(app, account.apiKey, created.id);
    expect(job.status).toBe('succeeded');
    expect(job.epoch).toBeLessThan(200);
    const events = (await app.request({ url: `/v1/training-jobs/${created.id}/events?limit=1000`, headers: bearer(account.apiKey) })).json().data;
    expect(events.some((event: any) => /stopped early after epoch/.test(event.message))).toBe(true);
  });

  it.each([
    ['a ragged row', 'a,b,label\n1,2,x\n1,x\n', 'line 3: 2 values, but the header has 3 columns'],
    ['a value that is not a number', 'a,b,label\n1,2,x\n1,two,y\n', 'line 3, column "b": "two" is not a number'],
    ['no label column', 'a,b,c\n1,2,3\n', 'line 1: the header has no label column "label"'],
    ['an empty file', '', 'the dataset is empty'],
    ['a header without rows', 'a,label\n', 'the dataset has no rows'],
  ])('refuses a CSV dataset with %s, naming the line and column, and stores nothing', async (_what, body, message) => {
    const before = await countArtifacts(app, account.tenantId);
    const response = await uploadDataset(app, account.apiKey, `bad-${Math.random().toString(36).slice(2, 8)}`, body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'INVALID_DATASET', message: expect.stringContaining(message) });
    expect(await countArtifacts(app, account.tenantId)).toBe(before);
  });

  it('refuses JSON lines that are not objects, lack the label, or change shape', async () => {
    const cases: Array<[string, string]> = [
      ['{"x": 1, "label": 0}\nnot json\n', 'line 2: not JSON'],
      ['{"x": 1, "y": 0}\n', 'line 1: no label key "label"'],
      ['{"image": [[1, 2], [3, 4]], "label": "a"}\n{"image": [[1, 2]], "label": "b"}\n', 'line 2, key "image": shape [1, 2] differs from the first line\'s [2, 2]'],
    ];
    for (const [body, message] of cases) {
      const response = await uploadDataset(app, account.apiKey, `bad-${Math.random().toString(36).slice(2, 8)}`, body, 'jsonl');
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.message).toContain(message);
    }
  });

  it('refuses a job before queueing it, listing every problem', async () => {
    const response = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(account.apiKey), payload: { model: 'x', dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3 }, { type: 'transformer' }] }, epochs: 0 } });
    expect(response.statusCode, response.body).toBe(400);
    const { message } = response.json().error;
    expect(message).toMatch(/architecture\.layers\.1/);
    expect(message).toMatch(/epochs/);
    const shapes = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(account.apiKey), payload: { model: 'x', dataset: 'blobs', task: 'regression', architecture: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3 }] } } });
    expect(shapes.statusCode).toBe(400);
    expect(shapes.json().error.message).toContain('regression needs numeric labels');
    expect(shapes.json().error.message).toContain('architecture.layers[0] (conv2d): needs images of shape [height, width, channels]; its input is [4]');
    const missing = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(account.apiKey), payload: { model: 'x', dataset: 'nope', task: 'classification', architecture: { layers: [dense(4)] } } });
    expect(missing.statusCode).toBe(404);
  });

  it('honours Idempotency-Key, and answers 503 with nothing created when the queue is unavailable', async () => {
    const spec = { model: 'idem', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(4)] }, epochs: 1 };
    const first = await startJob(app, account.apiKey, spec, { 'idempotency-key': 'abc-1' });
    const second = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: { ...bearer(account.apiKey), 'idempotency-key': 'abc-1' }, payload: spec });
    expect(second.json().id).toBe(first.id);
    // Fault injection: the queue's backend refuses the job.
    const enqueue = vi.spyOn(app.app.get(TrainingQueue), 'enqueue').mockRejectedValueOnce(new Error('connection refused'));
    const before = (await app.request({ url: '/v1/training-jobs?limit=100', headers: bearer(account.apiKey) })).json().data.length;
    const refused = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(account.apiKey), payload: { ...spec, model: 'idem-2' } });
    enqueue.mockRestore();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().error.code).toBe('QUEUE_UNAVAILABLE');
    expect((await app.request({ url: '/v1/training-jobs?limit=100', headers: bearer(account.apiKey) })).json().data.length).toBe(before);
  });

  it("keeps tenants apart: another tenant's datasets, jobs, events and checkpoints are 404", async () => {
    const created = await startJob(app, account.apiKey, { model: 'mine', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(4)] }, epochs: 1 });
    await waitForJob(app, account.apiKey, created.id);
    const other = await signUp(app, 'Other Org');
    for (const url of ['/v1/datasets/blobs', `/v1/training-jobs/${created.id}`, `/v1/training-jobs/${created.id}/events`, `/v1/training-jobs/${created.id}/checkpoints`]) {
      expect((await app.request({ url, headers: bearer(other.apiKey) })).statusCode, url).toBe(404);
    }
    expect((await app.request({ method: 'POST', url: `/v1/training-jobs/${created.id}/cancel`, headers: bearer(other.apiKey) })).statusCode).toBe(404);
    const theirs = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: bearer(other.apiKey), payload: { model: 'x', dataset: 'blobs', task: 'classification', architecture: { layers: [dense(4)] } } });
    expect(theirs.statusCode).toBe(404);
    expect((await app.request({ url: '/v1/datasets', headers: bearer(other.apiKey) })).json().data).toEqual([]);
  });
  it('honours maxRuntimeSeconds, repeats a seeded run exactly, fine-tunes a version, pages jobs, and guards datasets in use', async () => {
    const timed = await startJob(app, account.apiKey, { model: `timed-${backend}`, dataset: 'blobs', task: 'classification', architecture: { layers: [dense(64)] }, epochs: 500, batchSize: 4, maxRuntimeSeconds: 1 });
    const inUse = await app.request({ method: 'DELETE', url: '/v1/datasets/blobs', headers: bearer(account.apiKey) });
    const timedOut = await waitForJob(app, account.apiKey, timed.id, undefined, 30_000);
    expect(timedOut).toMatchObject({ status: 'failed', error: { code: 'MAX_RUNTIME_EXCEEDED' }, resultVersion: null });
    // Sent while that job was queued or running (it runs for a second at least).
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.code).toBe('DATASET_IN_USE');

    const seeded = { dataset: 'blobs', task: 'classification', architecture: { layers: [dense(8), { type: 'dropout', rate: 0.2 }] }, epochs: 3, seed: 77 };
    const [a, b] = [await startJob(app, account.apiKey, { ...seeded, model: `seeded-${backend}` }), await startJob(app, account.apiKey, { ...seeded, model: `seeded-${backend}` })];
    const [first, second] = [await waitForJob(app, account.apiKey, a.id), await waitForJob(app, account.apiKey, b.id)];
    expect(first.metrics).toEqual(second.metrics);

    const tuned = await startJob(app, account.apiKey, { model: `seeded-${backend}`, dataset: 'blobs', task: 'classification', baseVersion: 1, epochs: 2, learningRate: 0.001 });
    const tunedJob = await waitForJob(app, account.apiKey, tuned.id);
    expect(tunedJob, JSON.stringify(tunedJob)).toMatchObject({ status: 'succeeded', resultVersion: 3 });

    const page = (await app.request({ url: `/v1/training-jobs?model=seeded-${backend}&limit=2`, headers: bearer(account.apiKey) })).json();
    expect(page.data.map((job: any) => job.id)).toEqual([tuned.id, b.id]);
    expect(page.hasMore).toBe(true);
    const rest = (await app.request({ url: `/v1/training-jobs?model=seeded-${backend}&limit=2&after=${page.nextCursor}`, headers: bearer(account.apiKey) })).json();
    expect(rest.data.map((job: any) => job.id)).toEqual([a.id]);
    expect((await app.request({ url: '/v1/training-jobs?status=failed', headers: bearer(account.apiKey) })).json().data.map((job: any) => job.id)).toContain(timed.id);

    const artifactsBefore = await countArtifacts(app, account.tenantId);
    expect((await uploadDataset(app, account.apiKey, 'disposable', separableCsv(30))).statusCode).toBe(201);
    // The file and its examples as parsed at upload.
    expect(await countArtifacts(app, account.tenantId)).toBe(artifactsBefore + 2);
    expect((await app.request({ method: 'DELETE', url: '/v1/datasets/disposable', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    expect((await app.request({ url: '/v1/datasets/disposable', headers: bearer(account.apiKey) })).statusCode).toBe(404);
    expect(await countArtifacts(app, account.tenantId)).toBe(artifactsBefore);
  });
}


async function countArtifacts(app: TestApp, tenantId: string): Promise<number> {
  const { PrismaService } = await import('@maas/db');
  return app.app.get(PrismaService).artifact.count({ where: { tenantId } });
}
