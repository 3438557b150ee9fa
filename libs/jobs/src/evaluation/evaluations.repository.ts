import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@maas/db';

const WITH_NAMES = { model: { select: { name: true } }, dataset: { select: { name: true } }, version: { select: { number: true } } } as const;

export type NamedEvaluation = Prisma.TrainingJobGetPayload<{ include: typeof WITH_NAMES }>;

/** Evaluation jobs: rows of the job table of kind EVALUATION; every method takes the tenant first. */
@Injectable()
export class EvaluationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, fields: { modelId: string; versionId: string; datasetId: string; createdByKeyId?: string; spec: Prisma.InputJsonValue }) {
    return this.prisma.trainingJob.create({ data: { tenantId, kind: 'EVALUATION', ...fields } });
  }

  find(tenantId: string, id: string): Promise<NamedEvaluation | null> {
    return this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind: 'EVALUATION' }, include: WITH_NAMES });
  }

  listForVersion(tenantId: string, versionId: string): Promise<NamedEvaluation[]> {
    return this.prisma.trainingJob.findMany({ where: { tenantId, versionId, kind: 'EVALUATION' }, include: WITH_NAMES, orderBy: { queuedAt: 'desc' } });
  }

  /** The succeeded evaluations of a model's versions on one dataset, newest first. */
  succeededOnDataset(tenantId: string, modelId: string, datasetId: string): Promise<NamedEvaluation[]> {
    return this.prisma.trainingJob.findMany({ where: { tenantId, modelId, datasetId, kind: 'EVALUATION', status: 'SUCCEEDED' }, include: WITH_NAMES, orderBy: { finishedAt: 'desc' } });
  }

  delete(tenantId: string, id: string) {
    return this.prisma.trainingJob.deleteMany({ where: { tenantId, id } });
  }

  /** The job that trained a version (its result, or the job its metadata names for exports and checkpoints). */
  trainingJobOf(tenantId: string, version: { trainingJobId: string | null; metadata: unknown }) {
    const id = version.trainingJobId ?? (version.metadata as { trainingJob?: string; onnxExportOfJob?: string }).trainingJob ?? (version.metadata as { onnxExportOfJob?: string }).onnxExportOfJob;
    return id ? this.prisma.trainingJob.findFirst({ where: { tenantId, id, kind: 'TRAINING' } }) : Promise.resolve(null);
  }
}
