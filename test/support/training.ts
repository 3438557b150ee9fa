import { afterAll, beforeAll, expect, inject } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { separableCsv } from '../fixtures/datasets';
import { signUp, type SignedUpAccount } from './accounts';
import { LOCAL_REDIS_URL } from './redis-server';
import { startTestApp, type TestApp } from './test-app';
import { bearer } from './accounts';
import type { Requester } from './http-client';
import { waitUntil } from './fault-platform';

/** Uploads a dataset as the raw body, as `curl --data-binary @file` would. */
export async function uploadDataset(app: Requester, key: string, name: string, body: string, format: 'csv' | 'jsonl' = 'csv', labelColumn = 'label') {
  const contentType = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  return app.request({ method: 'POST', url: `/v1/datasets?name=${name}&labelColumn=${labelColumn}`, headers: { ...bearer(key), 'content-type': contentType }, payload: body });
}

export async function startJob(app: Requester, key: string, spec: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await app.request({ method: 'POST', url: '/v1/training-jobs', headers: { ...bearer(key), ...headers }, payload: spec });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function jobOf(app: Requester, key: string, id: string) {
  return (await app.request({ url: `/v1/training-jobs/${id}`, headers: bearer(key) })).json();
}

/** Waits until the job has finished (or `status` is reached) and returns it. */
export async function waitForJob(app: Requester, key: string, id: string, until: (job: { status: string; epoch: number }) => boolean = (job) => !['queued', 'running'].includes(job.status), timeoutMs = 90_000) {
  let job: any;
  try {
    await waitUntil(async () => until((job = await jobOf(app, key, id))), timeoutMs, 100);
  } catch (error) {
    const events = (await app.request({ url: `/v1/training-jobs/${id}/events?limit=1000`, headers: bearer(key) })).json().data ?? [];
    throw new Error(`${(error as Error).message}: job ${JSON.stringify(job)}, events ${JSON.stringify(events.map((event: { message: string }) => event.message))}`);
  }
  return job;
}

export interface TrainingPlatform {
  app: TestApp;
  account: SignedUpAccount;
}

/** The queue backends every training suite runs on: BullMQ over the platform's PostgreSQL, and over Redis. */
export const QUEUE_BACKENDS = [
  { backend: 'postgres', environment: {} as Record<string, string>, available: () => true },
  // A machine with nothing but Node has no Redis: there the Redis half is skipped, visibly.
  { backend: 'redis', environment: { REDIS_URL: LOCAL_REDIS_URL }, available: () => inject('redisAvailable') },
];

/**
 * For the enclosing describe: an in-process platform on the given queue backend, a signed-up
 * tenant, and its dataset "blobs" (three separable classes). Filled in by beforeAll.
 */
export function useTrainingPlatform(environment: Record<string, string>): TrainingPlatform {
  const platform = {} as TrainingPlatform;
  beforeAll(async () => {
    platform.app = await startTestApp(PLATFORM_MODULES, environment);
    platform.account = await signUp(platform.app);
    expect((await uploadDataset(platform.app, platform.account.apiKey, 'blobs', separableCsv())).statusCode).toBe(201);
  });
  afterAll(async () => {
    await platform.app?.close();
  });
  return platform;
}

/** Waits until the job at `url` (an evaluation, a compression) has finished and returns it; on a timeout the error carries its events. */
export async function waitUntilFinished(app: Requester, key: string, url: string, timeoutMs = 60_000) {
  let job: any;
  try {
    await waitUntil(async () => !['queued', 'running'].includes((job = (await app.request({ url, headers: bearer(key) })).json()).status), timeoutMs, 100);
  } catch (error) {
    const events = (await app.request({ url: `${url}/events`, headers: bearer(key) })).json().data ?? [];
    throw new Error(`${(error as Error).message}: ${JSON.stringify(job)}, events ${JSON.stringify(events.map((event: { message: string }) => event.message))}`);
  }
  return job;
}

export const waitForEvaluation = (app: Requester, key: string, id: string) => waitUntilFinished(app, key, `/v1/evaluations/${id}`);
