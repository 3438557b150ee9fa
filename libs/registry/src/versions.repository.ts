import { Injectable } from '@nestjs/common';
import { Model, ModelRuntime, ModelVersion, Prisma, PrismaService, VersionSource } from '@maas/db';

export interface NewVersion {
  runtime: ModelRuntime;
  artifactId: string;
  sizeBytes: bigint;
  sha256: string;
  signature: Prisma.InputJsonValue;
  metadata: Prisma.InputJsonValue;
  pipeline?: Prisma.InputJsonValue;
  source: VersionSource;
  description?: string;
  trainingJobId?: string;
}

const NUMBERING_ATTEMPTS = 5;

/** Version rows; every method takes the tenant first. Versions are immutable but for description, metadata and pipeline. */
@Injectable()
export class VersionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Inserts the next number (1, 2, 3…); concurrent uploads retry on the unique (model, number). */
  async createNext(tenantId: string, modelId: string, version: NewVersion): Promise<ModelVersion> {
    for (let attempt = 1; ; attempt++) {
      const latest = await this.prisma.modelVersion.aggregate({ where: { tenantId, modelId }, _max: { number: true } });
      try {
        return await this.prisma.modelVersion.create({ data: { tenantId, modelId, number: (latest._max.number ?? 0) + 1, status: 'READY', ...version } });
      } catch (error) {
        const isNumberClash = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
        if (!isNumberClash || attempt === NUMBERING_ATTEMPTS) throw error;
      }
    }
  }

  list(tenantId: string, modelId: string): Promise<ModelVersion[]> {
    return this.prisma.modelVersion.findMany({ where: { tenantId, modelId }, orderBy: { number: 'desc' } });
  }

  /** Every ready version of the tenant with its model, by model name then number. */
  listReadyWithModels(tenantId: string): Promise<Array<ModelVersion & { model: Model }>> {
    return this.prisma.modelVersion.findMany({ where: { tenantId, status: 'READY' }, include: { model: true }, orderBy: [{ model: { name: 'asc' } }, { number: 'asc' }] });
  }

  findByNumber(tenantId: string, modelId: string, number: number): Promise<ModelVersion | null> {
    return this.prisma.modelVersion.findFirst({ where: { tenantId, modelId, number } });
  }

  findById(tenantId: string, modelId: string, id: string): Promise<ModelVersion | null> {
    return this.prisma.modelVersion.findFirst({ where: { tenantId, modelId, id } });
  }

  findByTrainingJob(tenantId: string, trainingJobId: string): Promise<ModelVersion | null> {
    return this.prisma.modelVersion.findFirst({ where: { tenantId, trainingJobId } });
  }

  findLatestReady(tenantId: string, modelId: string): Promise<ModelVersion | null> {
    return this.prisma.modelVersion.findFirst({ where: { tenantId, modelId, status: 'READY' }, orderBy: { number: 'desc' } });
  }

  async update(tenantId: string, id: string, fields: { description?: string; metadata?: Prisma.InputJsonValue; pipeline?: Prisma.InputJsonValue | typeof Prisma.DbNull }): Promise<ModelVersion> {
    await this.prisma.modelVersion.updateMany({ where: { id, tenantId }, data: fields });
    return this.prisma.modelVersion.findUniqueOrThrow({ where: { id_tenantId: { id, tenantId } } });
  }

  /** Deletes the version and its artifact unless another version shares it (de-duplication). */
  delete(tenantId: string, version: ModelVersion): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.trainingJob.updateMany({ where: { tenantId, resultVersionId: version.id }, data: { resultVersionId: null } });
      await tx.modelVersion.deleteMany({ where: { id: version.id, tenantId } });
      if (version.artifactId) await tx.artifact.deleteMany({ where: { id: version.artifactId, tenantId, versions: { none: {} }, datasets: { none: {} }, checkpoints: { none: {} } } });
    });
  }
}
