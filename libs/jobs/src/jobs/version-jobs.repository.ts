import { Injectable } from '@nestjs/common';
import { JobKind, Prisma, PrismaService } from '@maas/db';

const WITH_NAMES = { model: { select: { name: true } }, dataset: { select: { name: true } }, version: { select: { number: true } }, resultVersion: { select: { number: true } } } as const;

export type NamedVersionJob = Prisma.TrainingJobGetPayload<{ include: typeof WITH_NAMES }>;

/** Jobs about one version (evaluations, compressions): rows of the job table of their kind; every method takes the tenant first. */
@Injectable()
export class VersionJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, kind: JobKind, fields: { modelId: string; versionId: string; datasetId?: string; createdByKeyId?: string; spec: Prisma.InputJsonValue }) {
    return this.prisma.trainingJob.create({ data: { tenantId, kind, ...fields } });
  }

  find(tenantId: string, kind: JobKind, id: string): Promise<NamedVersionJob | null> {
    return this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind }, include: WITH_NAMES });
  }

  listForVersion(tenantId: string, kind: JobKind, versionId: string): Promise<NamedVersionJob[]> {
    return this.prisma.trainingJob.findMany({ where: { tenantId, versionId, kind }, include: WITH_NAMES, orderBy: { queuedAt: 'desc' } });
  }

  /** The succeeded evaluations of a model's versions on one dataset, newest first. */
  succeededOnDataset(tenantId: string, modelId: string, datasetId: string): Promise<NamedVersionJob[]> {
    return this.prisma.trainingJob.findMany({ where: { tenantId, modelId, datasetId, kind: 'EVALUATION', status: 'SUCCEEDED' }, include: WITH_NAMES, orderBy: { finishedAt: 'desc' } });
  }

  /** The version the job is about, with its artifact. */
  versionOf(job: { tenantId: string; versionId: string | null }) {
    return job.versionId ? this.prisma.modelVersion.findFirst({ where: { tenantId: job.tenantId, id: job.versionId } }) : Promise.resolve(null);
  }

  /** The job that trained a version (its result, or the job its metadata names for exports and checkpoints). */
  trainingJobOf(tenantId: string, version: { trainingJobId: string | null; metadata: unknown }) {
    const metadata = version.metadata as { trainingJob?: string; onnxExportOfJob?: string };
    const id = version.trainingJobId ?? metadata.trainingJob ?? metadata.onnxExportOfJob;
    return id ? this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind: 'TRAINING' } }) : Promise.resolve(null);
  }
}
