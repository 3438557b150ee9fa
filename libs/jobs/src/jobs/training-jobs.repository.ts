import { Injectable } from '@nestjs/common';
import { JobStatus, Prisma, PrismaService, TrainingCheckpoint, TrainingJob } from '@maas/db';

/** What the job object shows of its related rows: the names of its model and dataset, its version's number. */
const WITH_NAMES = { model: { select: { name: true } }, dataset: { select: { name: true } }, resultVersion: { select: { number: true } } } as const;

export type NamedTrainingJob = Prisma.TrainingJobGetPayload<{ include: typeof WITH_NAMES }>;

export interface JobFilters {
  status?: JobStatus;
  modelId?: string;
  /** Cursor: jobs queued before this one. */
  after?: string;
  limit: number;
}

/** Training job, checkpoint and event rows; every method takes the tenant first. */
@Injectable()
export class TrainingJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, fields: { modelId: string; datasetId: string; createdByKeyId?: string; spec: Prisma.InputJsonValue; idempotencyKey?: string }): Promise<TrainingJob> {
    return this.prisma.trainingJob.create({ data: { tenantId, ...fields } });
  }

  find(tenantId: string, id: string): Promise<TrainingJob | null> {
    return this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind: 'TRAINING' } });
  }

  findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<TrainingJob | null> {
    return this.prisma.trainingJob.findFirst({ where: { tenantId, idempotencyKey } });
  }

  findNamed(tenantId: string, id: string): Promise<NamedTrainingJob | null> {
    return this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind: 'TRAINING' }, include: WITH_NAMES });
  }

  async list(tenantId: string, filters: JobFilters): Promise<NamedTrainingJob[]> {
    const cursor = filters.after ? await this.find(tenantId, filters.after) : null;
    return this.prisma.trainingJob.findMany({
      where: { tenantId, kind: 'TRAINING', status: filters.status, modelId: filters.modelId, ...(cursor ? { OR: [{ queuedAt: { lt: cursor.queuedAt } }, { queuedAt: cursor.queuedAt, id: { lt: cursor.id } }] } : {}) },
      include: WITH_NAMES,
      orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
      take: filters.limit,
    });
  }

  countRunning(tenantId: string): Promise<number> {
    return this.prisma.trainingJob.count({ where: { tenantId, status: 'RUNNING' } });
  }

  delete(tenantId: string, id: string): Promise<unknown> {
    return this.prisma.trainingJob.deleteMany({ where: { tenantId, id } });
  }

  /** Only a job still in `from` moves: a cancelled job is never marked running again, a finished one never re-opened. */
  async transition(tenantId: string, id: string, from: JobStatus[], data: Prisma.TrainingJobUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.trainingJob.updateMany({ where: { tenantId, id, status: { in: from } }, data });
    return count === 1;
  }

  /** Progress only moves forward: a re-run replaying epochs it already reported does not move it back. */
  async recordProgress(tenantId: string, id: string, progress: { fraction: number; epoch: number; batch?: number }, metrics?: Prisma.InputJsonValue): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "TrainingJob" SET progress = ${JSON.stringify(progress)}::jsonb ${metrics === undefined ? Prisma.empty : Prisma.sql`, metrics = ${JSON.stringify(metrics)}::jsonb`}
      WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid AND coalesce((progress->>'fraction')::float8, 0) <= ${progress.fraction}`;
  }

  addCheckpoint(tenantId: string, jobId: string, epoch: number, metrics: Prisma.InputJsonValue, artifactId: string): Promise<TrainingCheckpoint> {
    return this.prisma.trainingCheckpoint.upsert({ where: { jobId_epoch: { jobId, epoch } }, create: { tenantId, jobId, epoch, metrics, artifactId }, update: { metrics, artifactId } });
  }

  checkpoints(tenantId: string, jobId: string): Promise<TrainingCheckpoint[]> {
    return this.prisma.trainingCheckpoint.findMany({ where: { tenantId, jobId }, orderBy: { epoch: 'asc' } });
  }

  latestCheckpoint(tenantId: string, jobId: string): Promise<TrainingCheckpoint | null> {
    return this.prisma.trainingCheckpoint.findFirst({ where: { tenantId, jobId }, orderBy: { epoch: 'desc' } });
  }

  /** Checkpoints beyond the newest `keep`, for deletion with their artifacts. */
  staleCheckpoints(tenantId: string, jobId: string, keep: number): Promise<TrainingCheckpoint[]> {
    return this.prisma.trainingCheckpoint.findMany({ where: { tenantId, jobId }, orderBy: { epoch: 'desc' }, skip: keep });
  }

  async deleteCheckpoint(tenantId: string, checkpoint: TrainingCheckpoint): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.trainingCheckpoint.deleteMany({ where: { tenantId, id: checkpoint.id } });
      await tx.artifact.deleteMany({ where: { tenantId, id: checkpoint.artifactId, versions: { none: {} }, datasets: { none: {} }, checkpoints: { none: {} } } });
    });
  }
}
