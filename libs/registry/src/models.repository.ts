import { Injectable } from '@nestjs/common';
import { Model, Prisma, PrismaService } from '@maas/db';

export interface ModelFields {
  description?: string;
  task?: string | null;
  tags?: Record<string, string>;
}

/** Model rows; every method takes the tenant first. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, name: string, fields: ModelFields): Promise<Model> {
    return this.prisma.model.create({ data: { tenantId, name, description: fields.description ?? '', task: fields.task ?? null, tags: fields.tags ?? {} } });
  }

  findByName(tenantId: string, name: string): Promise<Model | null> {
    return this.prisma.model.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  async list(tenantId: string, options: { search?: string; limit: number; offset: number }): Promise<{ items: Model[]; total: number }> {
    const where: Prisma.ModelWhereInput = {
      tenantId,
      ...(options.search
        ? { OR: [{ name: { contains: options.search, mode: 'insensitive' } }, { description: { contains: options.search, mode: 'insensitive' } }, { task: { contains: options.search, mode: 'insensitive' } }] }
        : {}),
    };
    const [items, total] = await Promise.all([
      this.prisma.model.findMany({ where, orderBy: { name: 'asc' }, take: options.limit, skip: options.offset }),
      this.prisma.model.count({ where }),
    ]);
    return { items, total };
  }

  async update(tenantId: string, id: string, fields: ModelFields): Promise<Model> {
    await this.prisma.model.updateMany({ where: { id, tenantId }, data: { description: fields.description, task: fields.task, tags: fields.tags } });
    return this.prisma.model.findUniqueOrThrow({ where: { id_tenantId: { id, tenantId } } });
  }

  /**
   * Deletes the model: its aliases first, then its versions, then the artifacts no other version
   * uses, in one transaction. Returns the ids of the deleted versions.
   */
  delete(tenantId: string, id: string): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      await tx.modelAlias.deleteMany({ where: { tenantId, modelId: id } });
      const versions = await tx.modelVersion.findMany({ where: { tenantId, modelId: id }, select: { id: true, artifactId: true } });
      await tx.trainingJob.updateMany({ where: { tenantId, resultVersionId: { in: versions.map((version) => version.id) } }, data: { resultVersionId: null } });
      await tx.modelVersion.deleteMany({ where: { tenantId, modelId: id } });
      const artifactIds = versions.map((version) => version.artifactId).filter((artifactId): artifactId is string => Boolean(artifactId));
      await tx.artifact.deleteMany({ where: { tenantId, id: { in: artifactIds }, versions: { none: {} }, datasets: { none: {} } } });
      await tx.model.deleteMany({ where: { id, tenantId } });
      return versions.map((version) => version.id);
    });
  }
}
