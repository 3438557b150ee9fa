import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { separableCsv } from '../fixtures/datasets';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { startJob, uploadDataset, waitForJob } from '../support/training';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads a Server-Sent Events stream until its `end` event (or the timeout). */
function readEventStream(url: string, key: string, lastEventId?: string): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${key}` };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const outgoing = request(url, { headers }, (incoming) => {
      expect(incoming.headers['content-type']).toBe('text/event-stream');
      let buffered = '';
      incoming.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let boundary;
        while ((boundary = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, boundary);
          buffered = buffered.slice(boundary + 2);
          if (block.startsWith(':')) continue;
          const event: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(': ');
            if (field === 'id') event.id = rest.join(': ');
            if (field === 'event') event.event = rest.join(': ');
            if (field === 'data') event.data = rest.join(': ');
          }
          events.push(event);
        }
      });
      incoming.on('end', () => resolve(events));
    });
    outgoing.on('error', reject);
    outgoing.setTimeout(60_000, () => outgoing.destroy(new Error('the event stream did not end')));
    outgoing.end();
  });
}

describe('training events over Server-Sent Events', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let baseUrl: string;

  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}`;
    account = await signUp(app);
    expect((await uploadDataset(app, account.apiKey, 'blobs', separableCsv())).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('streams every event live, in order, until the job ends; Last-Event-ID resumes after an event', async () => {
    const created = await startJob(app, account.apiKey, { model: 'streamed', dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, epochs: 6, seed: 9 });
    const live = await readEventStream(`${baseUrl}/v1/training-jobs/${created.id}/events`, account.apiKey);
    expect((await waitForJob(app, account.apiKey, created.id)).status).toBe('succeeded');
    expect(live[live.length - 1].event).toBe('end');
    const events = live.slice(0, -1);
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events.filter((event) => event.event === 'metrics').map((event) => JSON.parse(event.data).data.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(JSON.parse(events[events.length - 1].data).message).toMatch(/registered as version 1/);

    const resumed = await readEventStream(`${baseUrl}/v1/training-jobs/${created.id}/events`, account.apiKey, events[2].id);
    expect(resumed.slice(0, -1).map((event) => event.id)).toEqual(events.slice(3).map((event) => event.id));
  });

  it('ends the stream when the job finishes after its last event (no notification follows a status change)', async () => {
    const created = await startJob(app, account.apiKey, { model: 'quiet-end', dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, epochs: 1, seed: 4 });
    expect((await waitForJob(app, account.apiKey, created.id)).status).toBe('succeeded');
    // Replay the runner's order: every event written while the job still reads as running, then the status alone.
    const prisma = app.app.get(PrismaService);
    await prisma.trainingJob.update({ where: { id: created.id }, data: { status: 'RUNNING' } });
    const streaming = readEventStream(`${baseUrl}/v1/training-jobs/${created.id}/events`, account.apiKey);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const finishedAt = performance.now();
    await prisma.trainingJob.update({ where: { id: created.id }, data: { status: 'SUCCEEDED' } });
    const events = await streaming;
    expect(events[events.length - 1].event).toBe('end');
    expect(performance.now() - finishedAt).toBeLessThan(3_000);
  });
});
