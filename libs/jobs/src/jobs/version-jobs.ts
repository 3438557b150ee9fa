import { Injectable } from '@nestjs/common';
import { JobKind, Prisma } from '@maas/db';
import { AuditLog, Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { TrainingQueue, type QueueJobKind } from '../queue/training-queue';
import { QueueUnavailableError } from '../training/training-errors';
import { TrainingJobsRepository } from './training-jobs.repository';
import { VersionJobsRepository, type NamedVersionJob } from './version-jobs.repository';

/** The queue job that runs each kind. */
const QUEUE_NAME: Record<Exclude<JobKind, 'TRAINING'>, QueueJobKind> = { EVALUATION: 'evaluate', COMPRESSION: 'compress' };

/**
 * The API side of jobs about one version (evaluations, compressions): the row is written, then
 * queued — if the queue cannot take it, the row goes again and the caller gets a 503 — and audited.
 */
@Injectable()
export class VersionJobs {
  constructor(
    private readonly jobs: VersionJobsRepository,
    /** Any job's row, whatever its kind: one that could not be queued goes again. */
    private readonly trainingJobs: TrainingJobsRepository,
    private readonly registry: ModelRegistry,
    private readonly queue: TrainingQueue,
    private readonly audit: AuditLog,
  ) {}

  async start(principal: Principal, kind: Exclude<JobKind, 'TRAINING'>, fields: { modelId: string; versionId: string; datasetId?: string; spec: object }, audited: { action: string; details: Record<string, unknown> }) {
    const { tenantId } = principal;
    const job = await this.jobs.create(tenantId, kind, { ...fields, createdByKeyId: principal.apiKeyId, spec: fields.spec as Prisma.InputJsonValue });
    try {
      await this.queue.enqueue({ tenantId, jobId: job.id }, QUEUE_NAME[kind]);
    } catch (error) {
      await this.trainingJobs.delete(tenantId, job.id);
      throw new QueueUnavailableError(error);
    }
    await this.audit.record(tenantId, principal, { action: audited.action, targetType: 'model_version', targetId: fields.versionId, details: { ...audited.details, job: job.id } });
    return job;
  }

  async listForVersion(tenantId: string, kind: JobKind, modelName: string, reference: string): Promise<NamedVersionJob[]> {
    const { version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    return this.jobs.listForVersion(tenantId, kind, version.id);
  }

  async find(tenantId: string, kind: JobKind, id: string, notFound: () => Error): Promise<NamedVersionJob> {
    const job = await this.jobs.find(tenantId, kind, id);
    if (!job) throw notFound();
    return job;
  }
}
