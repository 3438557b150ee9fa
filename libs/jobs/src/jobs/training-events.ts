import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DatabaseNotifications, PrismaService, TrainingEvent } from '@maas/db';

/** Channel announcing a new event of a job (payload: the job id), so live streams read it at once. */
const TRAINING_EVENT_CHANNEL = 'maas_training_event';

export type EventLevel = 'info' | 'warn' | 'error';
export type EventType = 'message' | 'metrics';

/**
 * A job's events: rows in order (their id is the SSE event id, so a stream resumes after
 * Last-Event-ID), announced to every process through NOTIFY for live subscribers. A notification
 * missed while the listener was away is made up for by re-reading after the reconnect.
 */
@Injectable()
export class TrainingEvents implements OnModuleInit, OnModuleDestroy {
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly liveStreams = new Set<() => void>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly notifications: DatabaseNotifications,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.notifications.subscribe(TRAINING_EVENT_CHANNEL, (jobId) => this.watchers.get(jobId)?.forEach((wake) => wake()));
    this.notifications.onReconnect(() => this.watchers.forEach((wakes) => wakes.forEach((wake) => wake())));
  }

  /** Registers a live stream's `end`, called when the app closes; returns the unregister. */
  onClose(end: () => void): () => void {
    this.liveStreams.add(end);
    return () => this.liveStreams.delete(end);
  }

  onModuleDestroy(): void {
    for (const end of [...this.liveStreams]) end();
  }

  async append(tenantId: string, jobId: string, level: EventLevel, type: EventType, message: string, data?: object): Promise<void> {
    await this.prisma.trainingEvent.create({ data: { tenantId, jobId, level, type, message, data: data as never } });
    await this.notifications.publish(TRAINING_EVENT_CHANNEL, jobId);
  }

  after(tenantId: string, jobId: string, afterId: bigint, limit: number): Promise<TrainingEvent[]> {
    return this.prisma.trainingEvent.findMany({ where: { tenantId, jobId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  }

  /** The job's status now (any kind of job), for a live stream to know when it has finished. */
  async statusOf(tenantId: string, jobId: string): Promise<string | undefined> {
    return (await this.prisma.trainingJob.findFirst({ where: { tenantId, id: jobId }, select: { status: true } }))?.status;
  }

  /** Calls `wake` whenever the job may have new events; returns the unsubscribe. */
  watch(jobId: string, wake: () => void): () => void {
    const wakes = this.watchers.get(jobId) ?? new Set();
    wakes.add(wake);
    this.watchers.set(jobId, wakes);
    return () => {
      wakes.delete(wake);
      if (wakes.size === 0) this.watchers.delete(jobId);
    };
  }
}
