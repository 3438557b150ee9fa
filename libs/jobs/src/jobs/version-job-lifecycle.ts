import { Injectable, Logger } from '@nestjs/common';
import { Prisma } from '@maas/db';
import { DomainError } from '@maas/errors';
import { UsageRecorder } from '@maas/usage';
import { TrainingEvents } from './training-events';
import { FinalTrainingFailure } from './training-runner';
import { TrainingJobsRepository } from './training-jobs.repository';
import type { NamedVersionJob } from './version-jobs.repository';

/** A job that must not be retried: it fails with this code, and its result (a report) is kept. */
export class FinalJobFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly result?: object,
  ) {
    super(message);
  }
}

export interface JobOutcome {
  result: object;
  /** One line for the job's last event. */
  summary: string;
  resultVersionId?: string;
}

/**
 * The life of a job about one version (an evaluation, a compression) on the training queue: running,
 * then succeeded with its result, or failed — at once when retrying cannot help (bad input, a
 * refusal, a report over tolerance), else after the queue's attempts. Every attempt's compute time
 * is metered. Re-running one (BullMQ is at-least-once) computes the same result again.
 */
@Injectable()
export class VersionJobLifecycle {
  private readonly logger = new Logger('VersionJobs');

  constructor(
    private readonly jobs: TrainingJobsRepository,
    private readonly events: TrainingEvents,
    private readonly usage: UsageRecorder,
  ) {}

  async run(job: NamedVersionJob, what: string, isLastAttempt: boolean, work: () => Promise<JobOutcome>): Promise<void> {
    const { tenantId, id } = job;
    await this.jobs.transition(tenantId, id, ['QUEUED', 'RUNNING'], { status: 'RUNNING', startedAt: job.startedAt ?? new Date(), attempts: { increment: 1 } });
    await this.events.append(tenantId, id, 'info', 'message', `attempt ${job.attempts + 1}: ${what}`);
    const startedAt = Date.now();
    try {
      const outcome = await work();
      await this.jobs.transition(tenantId, id, ['RUNNING'], { status: 'SUCCEEDED', finishedAt: new Date(), result: outcome.result as Prisma.InputJsonValue, resultVersionId: outcome.resultVersionId, progress: { fraction: 1 } });
      await this.events.append(tenantId, id, 'info', 'metrics', outcome.summary, outcome.result);
    } catch (error) {
      await this.failed(job, error, isLastAttempt);
    } finally {
      this.usage.record({ tenantId, apiKeyId: job.createdByKeyId ?? undefined, modelId: job.modelId, versionNumber: job.version?.number ?? 0, items: 0, bytesIn: 0, bytesOut: 0, latencyMs: 0, outcome: 'ok', at: Date.now(), trainingSeconds: (Date.now() - startedAt) / 1000 });
    }
  }

  progress(job: NamedVersionJob, fraction: number): Promise<void> {
    return this.jobs.recordProgress(job.tenantId, job.id, { fraction, epoch: 0 });
  }

  private async failed(job: NamedVersionJob, error: unknown, isLastAttempt: boolean): Promise<never> {
    const message = (error as Error).message;
    const final = finalCode(error);
    if (final || isLastAttempt) {
      const result = error instanceof FinalJobFailure && error.result ? (error.result as Prisma.InputJsonValue) : undefined;
      await this.jobs.transition(job.tenantId, job.id, ['QUEUED', 'RUNNING'], { status: 'FAILED', finishedAt: new Date(), error: message, errorCode: final ?? `${job.kind}_FAILED`, result });
      await this.events.append(job.tenantId, job.id, 'error', 'message', `failed: ${message}`, result as object | undefined);
      throw new FinalTrainingFailure(message);
    }
    this.logger.warn(`${job.kind.toLowerCase()} ${job.id} attempt ${job.attempts + 1} failed: ${message}`);
    await this.events.append(job.tenantId, job.id, 'warn', 'message', `attempt ${job.attempts + 1} failed: ${message}; it will be retried`);
    throw error;
  }
}

/** The error code of a failure retrying cannot mend, else undefined. */
function finalCode(error: unknown): string | undefined {
  if (error instanceof FinalJobFailure) return error.code;
  if (error instanceof FinalTrainingFailure) return 'INVALID_JOB';
  if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'unprocessable')) return error.code;
  return undefined;
}
