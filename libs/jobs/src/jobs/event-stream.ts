import type { ServerResponse } from 'node:http';
import type { TrainingEvent } from '@maas/db';
import type { TrainingEvents } from './training-events';

const KEEPALIVE_MS = 15_000;
/**
 * Looked again this often without a notification: the job's last status change comes after its
 * last event (no notification follows it), and a notification can be lost with a connection.
 */
const RECHECK_MS = 1_000;
const PAGE = 500;

export function eventView(event: TrainingEvent) {
  return { id: event.id.toString(), level: event.level, type: event.type, message: event.message, data: event.data, createdAt: event.createdAt.toISOString() };
}

/**
 * Streams a job's events as Server-Sent Events: first those after `afterId` (Last-Event-ID), then
 * each new one as it is written, in order, until the job has finished and every event was sent.
 * Each SSE id is the event's row id, so a client that reconnects with Last-Event-ID misses nothing.
 */
export async function streamEvents(response: ServerResponse, events: TrainingEvents, job: { tenantId: string; id: string }, afterId: bigint, isFinished: () => Promise<boolean>, shutdown: (end: () => void) => () => void): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let last = afterId;
  let closed = false;
  let pending: Promise<void> = Promise.resolve();
  const flush = async () => {
    for (;;) {
      const batch = await events.after(job.tenantId, job.id, last, PAGE);
      for (const event of batch) {
        response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(eventView(event))}\n\n`);
        last = event.id;
      }
      if (batch.length < PAGE) break;
    }
    if (!closed && (await isFinished())) {
      const trailing = await events.after(job.tenantId, job.id, last, 1);
      if (trailing.length === 0) return finish();
    }
  };
  const wake = () => {
    pending = pending.then(flush).catch(() => finish());
  };
  const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
  const recheck = setInterval(wake, RECHECK_MS);
  const unwatch = events.watch(job.id, wake);
  // The server is going away: end the stream (the client resumes elsewhere with Last-Event-ID).
  const unsubscribeShutdown = shutdown(() => stop(true));
  const stop = (endStream: boolean) => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    clearInterval(recheck);
    unwatch();
    unsubscribeShutdown();
    if (endStream) response.end();
  };
  const finish = () => {
    if (closed) return;
    response.write('event: end\ndata: {}\n\n');
    stop(true);
  };
  response.on('close', () => stop(false));
  wake();
  await new Promise<void>((resolve) => response.on('close', resolve));
}
