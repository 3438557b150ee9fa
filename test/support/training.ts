import { expect } from 'vitest';
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
