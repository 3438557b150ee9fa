import { beforeAll, describe, expect, it } from 'vitest';
import { linearRegressionCsv } from '../fixtures/datasets';
import { bearer, type SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { type TestApp } from '../support/test-app';
import { QUEUE_BACKENDS, startJob, uploadDataset, useTrainingPlatform, waitForJob } from '../support/training';
import { waitUntil } from '../support/fault-platform';
import { TrainingRunner } from '@maas/jobs';

/** The same suite on both queue backends: BullMQ on the platform's PostgreSQL, and on Redis. */
for (const { backend, environment, available } of QUEUE_BACKENDS) {
  describe.skipIf(!available())(`training jobs on BullMQ over ${backend}`, () => trainingSuite(backend, environment));
}

function trainingSuite(backend: string, environment: Record<string, string>): void {
  const platform = useTrainingPlatform(environment);
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(() => {
    ({ app, account } = platform);
  });

  it('trains a classifier past 0.9 validation accuracy; its version serves labels at once', async () => {
    const created = await startJob(app, account.apiKey, { model: `blobs-${backend}`, dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 16, activation: 'relu' }] }, epochs: 10, learningRate: 0.01, batchSize: 32, seed: 1 });
    expect(['queued', 'running']).toContain(created.status);
    expect(created).toMatchObject({ model: `blobs-${backend}`, dataset: 'blobs', hyperparameters: { optimizer: 'adam', epochs: 10, loss: 'categoricalCrossentropy' } });
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
    // Its automatic pipeline: raw features in, the dataset's class names out.
    expect(version.pipeline).toEqual({ preprocess: {}, postprocess: { labels: ['blue', 'green', 'red'], topk: 3 } });
    const predicted = await app.request({ method: 'POST', url: `/v1/models/blobs-${backend}/predict`, headers: bearer(account.apiKey), payload: { inputs: { [version.signature.inputs[0].name]: [[3, 0, -3, 1], [-3, 3, 0, -1]] } } });
    expect(predicted.statusCode, predicted.body).toBe(200);
    expect(predicted.json().predictions.map((row: Array<{ label: string }>) => row[0].label)).toEqual(['red', 'green']);
  });

  it('learns a regression: the validation error falls', async () => {
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

  it('resumes a job whose training process was killed from its last checkpoint, and registers one version', async () => {
    const created = await startJob(app, account.apiKey, { model: `crash-${backend}`, dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 64, activation: 'relu' }] }, epochs: 40, batchSize: 8, learningRate: 0.001, seed: 8 });
    await waitUntil(async () => (await app.request({ url: `/v1/training-jobs/${created.id}/checkpoints`, headers: bearer(account.apiKey) })).json().length >= 2, 60_000, 50);
    const running = app.app.get(TrainingRunner).runningProcesses.get(created.id);
    expect(running).toBeDefined();
    running!.kill();
    const job = await waitForJob(app, account.apiKey, created.id, undefined, 120_000);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'succeeded', attempts: 2, epoch: 40, resultVersion: 1 });
    const events = (await app.request({ url: `/v1/training-jobs/${created.id}/events?limit=1000`, headers: bearer(account.apiKey) })).json().data;
    expect(events.some((event: any) => /attempt 1 failed: the training process ended without a result \(signal SIGKILL\)/.test(event.message))).toBe(true);
    const resumed = events.find((event: any) => /attempt 2: resuming after epoch \d+/.test(event.message));
    expect(resumed, JSON.stringify(events.map((event: any) => event.message))).toBeDefined();
    // Every epoch's metrics once (a resumed epoch replaces what the killed attempt had not finished).
    const epochs = events.filter((event: any) => event.type === 'metrics').map((event: any) => event.data.epoch);
    expect(new Set(epochs).size).toBe(40);
    const versions = (await app.request({ url: `/v1/models/crash-${backend}/versions`, headers: bearer(account.apiKey) })).json();
    expect(versions).toHaveLength(1);
  });

  it('cancels a queued job at once and a running one between batches, creating no version', async () => {
    const long = { dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 64, activation: 'relu' }] }, epochs: 500, batchSize: 4 };
    const running = await startJob(app, account.apiKey, { ...long, model: `cancel-running-${backend}` });
    const queued = await startJob(app, account.apiKey, { ...long, model: `cancel-queued-${backend}` });
    await waitForJob(app, account.apiKey, running.id, (job) => job.status === 'running' && job.epoch >= 1);
    const cancelledQueued = await app.request({ method: 'POST', url: `/v1/training-jobs/${queued.id}/cancel`, headers: bearer(account.apiKey) });
    expect(cancelledQueued.json().status).toBe('cancelled');
    const cancelling = await app.request({ method: 'POST', url: `/v1/training-jobs/${running.id}/cancel`, headers: bearer(account.apiKey) });
    expect(cancelling.statusCode).toBe(200);
    const stopped = await waitForJob(app, account.apiKey, running.id, undefined, 30_000);
    expect(stopped).toMatchObject({ status: 'cancelled', resultVersion: null });
    expect(stopped.epoch).toBeLessThan(500);
    const again = await app.request({ method: 'POST', url: `/v1/training-jobs/${running.id}/cancel`, headers: bearer(account.apiKey) });
    expect(again.statusCode).toBe(409);
    expect((await app.request({ url: `/v1/models/cancel-running-${backend}/versions`, headers: bearer(account.apiKey) })).json()).toEqual([]);
    expect((await waitForJob(app, account.apiKey, queued.id)).status).toBe('cancelled');
  });
}
