import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { barImagesJsonl, linearRegressionCsv, separableCsv, trendSequencesJsonl } from '../fixtures/datasets';
import { bearer, signUp, type SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { LOCAL_REDIS_URL, redisAnswers } from '../support/redis-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { startJob, uploadDataset, waitForJob } from '../support/training';

const hasRedis = await redisAnswers();

/** The same suite on both queue backends: BullMQ on the platform's PostgreSQL, and on Redis. */
describe.each([
  { backend: 'postgres', environment: {} },
  { backend: 'redis', environment: { REDIS_URL: LOCAL_REDIS_URL } },
])('training jobs on BullMQ over $backend', ({ backend, environment }) => {
  const skip = backend === 'redis' && !hasRedis;
  let app: TestApp;
  let account: SignedUpAccount;

  beforeAll(async () => {
    if (skip) return;
    app = await startTestApp(PLATFORM_MODULES, environment);
    account = await signUp(app);
    expect((await uploadDataset(app, account.apiKey, 'blobs', separableCsv())).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.skipIf(skip)('trains a classifier past 0.9 validation accuracy; its version serves labels at once', async () => {
    const created = await startJob(app, account.apiKey, { model: `blobs-${backend}`, dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 16, activation: 'relu' }] }, epochs: 10, learningRate: 0.01, batchSize: 32, seed: 1 });
    expect(created).toMatchObject({ status: 'queued', model: `blobs-${backend}`, dataset: 'blobs', hyperparameters: { optimizer: 'adam', epochs: 10, loss: 'categoricalCrossentropy' } });
    const job = await waitForJob(app, account.apiKey, created.id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'succeeded', resultVersion: 1, progress: 1, epoch: 10, attempts: 1 });
    expect(job.metrics.val_accuracy).toBeGreaterThan(0.9);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(job.backend);

    const version = (await app.request({ url: `/v1/models/blobs-${backend}/versions/1`, headers: bearer(account.apiKey) })).json();
    expect(version).toMatchObject({ source: 'training', runtime: 'tfjs' });
    // Centre of class "red" (the sorted classes are blue, green, red): the served model answers it.
    const answer = await infer(app, account.apiKey, `blobs-${backend}`, { inputs: [{ name: version.signature.inputs[0].name, shape: [1, 4], datatype: 'FP32', data: [3, 0, -3, 1] }] });
    expect(answer.statusCode, answer.body).toBe(200);
    const scores = answer.json().outputs[0].data as number[];
    expect(scores).toHaveLength(3);
    expect(scores.indexOf(Math.max(...scores))).toBe(2);
  });

  it.skipIf(skip)('learns a regression: the validation error falls', async () => {
    expect((await uploadDataset(app, account.apiKey, 'linear', linearRegressionCsv(), 'csv', 'y')).statusCode).toBe(201);
    const created = await startJob(app, account.apiKey, { model: `linear-${backend}`, dataset: 'linear', task: 'regression', architecture: { layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, epochs: 12, learningRate: 0.02, seed: 2 });
    const job = await waitForJob(app, account.apiKey, created.id);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const events = (await app.request({ url: `/v1/training-jobs/${created.id}/events?limit=1000`, headers: bearer(account.apiKey) })).json().data;
    const losses = events.filter((event: any) => event.type === 'metrics').map((event: any) => event.data.val_loss);
    expect(losses).toHaveLength(12);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
    expect(job.metrics.val_mae).toBeLessThan(0.3);
  });
});
