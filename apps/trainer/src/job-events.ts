import type { FastifyReply, FastifyRequest } from 'fastify';
import { eventView, streamEvents, TrainingEvents } from '@maas/jobs';
import { whenDraining } from '@maas/service';

interface EventsAsked {
  after?: number;
  limit: number;
  accept?: string;
  lastEventId?: string;
}

/**
 * A job's events (training or evaluation): a page as JSON, or with Accept: text/event-stream the live
 * stream, resumable with Last-Event-ID, until the job has finished.
 */
export async function answerJobEvents(events: TrainingEvents, job: { tenantId: string; id: string; status: string }, asked: EventsAsked, request: FastifyRequest, reply: FastifyReply) {
  const after = BigInt(asked.lastEventId && /^\d+$/.test(asked.lastEventId) ? asked.lastEventId : (asked.after ?? 0));
  if (!asked.accept?.includes('text/event-stream')) {
    const page = await events.after(job.tenantId, job.id, after, asked.limit);
    return reply.send({ data: page.map(eventView), hasMore: page.length === asked.limit });
  }
  reply.hijack();
  const isFinished = async () => !['QUEUED', 'RUNNING'].includes((await events.statusOf(job.tenantId, job.id)) ?? 'FAILED');
  // Ended when the server drains (SIGTERM) or the app closes, so neither waits on an open stream.
  const onShutdown = (end: () => void) => {
    const undrain = whenDraining(request.server, end);
    const unclose = events.onClose(end);
    return () => {
      undrain();
      unclose();
    };
  };
  await streamEvents(reply.raw, events, job, after, isFinished, onShutdown);
}
