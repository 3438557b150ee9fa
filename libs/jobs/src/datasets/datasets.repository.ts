import { Injectable } from '@nestjs/common';
import { Dataset, Prisma, PrismaService } from '@maas/db';

/** Dataset rows; every method takes the tenant first. */
@Injectable()
export class DatasetsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, fields: { name: string; format: string; labelColumn: string; rows: number; sizeBytes: bigint; schema: Prisma.InputJsonValue; artifactId: string; examplesArtifactId: string }): Promise<Dataset> {
    return this.prisma.dataset.create({ data: { tenantId, ...fields } });
  }

  /** By id, or by name (names are unique per tenant). */
  find(tenantId: string, reference: string): Promise<Dataset | null> {
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(reference);
    return this.prisma.dataset.findFirst({ where: isId ? { tenantId, OR: [{ id: reference }, { name: reference }] } : { tenantId, name: reference } });
  }

  list(tenantId: string, options: { limit: number; offset: number }): Promise<Dataset[]> {
    return this.prisma.dataset.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, take: options.limit, skip: options.offset });
  }

  countActiveJobs(tenantId: string, datasetId: string): Promise<number> {
    return this.prisma.trainingJob.count({ where: { tenantId, status: { in: ['QUEUED', 'RUNNING'] }, OR: [{ datasetId }, { spec: { path: ['plan', 'validationDatasetId'], equals: datasetId } }] } });
  }

  /** Deletes the row and its artifact; jobs that used it keep their rows (their dataset reads as gone). */
  async delete(tenantId: string, dataset: Dataset): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.trainingJob.updateMany({ where: { tenantId, datasetId: dataset.id }, data: { datasetId: null } });
      await tx.dataset.deleteMany({ where: { id: dataset.id, tenantId } });
      const artifactIds = [dataset.artifactId, dataset.examplesArtifactId].filter((id): id is string => id !== null);
      await tx.artifact.deleteMany({ where: { id: { in: artifactIds }, tenantId, versions: { none: {} }, datasets: { none: {} }, datasetExamples: { none: {} }, checkpoints: { none: {} } } });
    });
  }
}
