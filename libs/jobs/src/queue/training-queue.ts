import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@maas/config';
import { DatabaseConnection } from '@maas/db';
import { openQueueConnection, QueueConnection } from './queue-connection';

export const TRAINING_QUEUE = 'maas-training';

export type QueueJobKind = 'train' | 'evaluate' | 'compress';

export interface TrainingQueueJob {
  tenantId: string;
  jobId: string;
}

/**
 * The producer side of the training queue (BullMQ). The job's id in BullMQ is the TrainingJob
 * row's id, so a job is never queued twice. The row is the source of truth; the queue only
 * carries the work.
 */
@Injectable()
export class TrainingQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('TrainingQueue');
  private connection?: QueueConnection;
  private queue?: Queue<TrainingQueueJob>;

  constructor(
    private readonly database: DatabaseConnection,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.connection = await openQueueConnection(this.database.url, this.config.redisUrl, this.logger);
    this.queue = new Queue<TrainingQueueJob>(TRAINING_QUEUE, { ...this.connection.options, defaultJobOptions: this.jobOptions() }, this.connection.backend as never);
    this.queue.on('error', (error) => this.logger.warn(`training queue: ${error.message}`));
    await this.queue.waitUntilReady();
    this.logger.log(`training queue on ${this.connection.kind === 'redis' ? 'Redis' : 'PostgreSQL'}`);
  }

  get backendKind(): 'postgres' | 'redis' {
    return this.connection!.kind;
  }

  /** The connection settings, for workers in this process. */
  get queueConnection(): QueueConnection {
    return this.connection!;
  }

  /** `train`, `evaluate` or `compress`: the workers run the job by its name. */
  async enqueue(job: TrainingQueueJob, kind: QueueJobKind = 'train'): Promise<void> {
    await this.queue!.add(kind, job, { jobId: job.jobId });
  }

  /** Removes a job that has not started; false when a worker holds it already. */
  async removeWaiting(jobId: string): Promise<boolean> {
    const job = await this.queue!.getJob(jobId);
    if (!job) return true;
    const state = await job.getState();
    if (state === 'active') return false;
    await job.remove().catch(() => undefined);
    return true;
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
    await this.connection?.close();
  }

  private jobOptions() {
    return { attempts: this.config.trainingAttempts, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: 1_000 };
  }
}
