import { describe, expect, inject, it } from 'vitest';
import { separableCsv } from '../fixtures/datasets';
import { bearer, signUp } from '../support/accounts';
import { platformEnvironment, waitUntil } from '../support/fault-platform';
import { httpRequester } from '../support/http-client';
import { startPlatformProcess } from '../support/platform-process';
import { startJob, uploadDataset, waitForJob } from '../support/training';

/**
 * The whole trainer process SIGKILLed mid-training (a node lost, an OOM kill): its lock lapses,
 * another trainer's worker picks the stalled job up, resumes from the last checkpoint, and the
 * job ends with exactly one version.
 */
describe('a trainer process killed mid-job', () => {
  it('is resumed by another trainer from its last checkpoint, with one resulting version', async () => {
    const environment = platformEnvironment(inject('databaseUrl'), { MAAS_TRAINING_LOCK_MS: '2000' });
    const first = await startPlatformProcess(environment);
    const client = httpRequester(first.url);
    const account = await signUp(client);
    expect((await uploadDataset(client, account.apiKey, 'blobs', separableCsv())).statusCode).toBe(201);
    const created = await startJob(client, account.apiKey, { model: 'survivor', dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 64, activation: 'relu' }] }, epochs: 40, batchSize: 8, seed: 3 });
    await waitUntil(async () => (await client.request({ url: `/v1/training-jobs/${created.id}/checkpoints`, headers: bearer(account.apiKey) })).json().length >= 2, 60_000, 50);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startPlatformProcess(environment);
    try {
      const survivor = httpRequester(second.url);
      const job = await waitForJob(survivor, account.apiKey, created.id, undefined, 120_000);
      expect(job, JSON.stringify(job)).toMatchObject({ status: 'succeeded', epoch: 40, resultVersion: 1 });
      expect(job.attempts).toBeGreaterThanOrEqual(2);
      const events = (await survivor.request({ url: `/v1/training-jobs/${created.id}/events?limit=1000`, headers: bearer(account.apiKey) })).json().data;
      expect(events.some((event: any) => /resuming after epoch \d+/.test(event.message)), JSON.stringify(events.map((event: any) => event.message))).toBe(true);
      expect((await survivor.request({ url: '/v1/models/survivor/versions', headers: bearer(account.apiKey) })).json()).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
