import { Injectable } from '@nestjs/common';
import { ModelAlias, PrismaService } from '@maas/db';

/** Alias rows; every method takes the tenant first. Moving an alias is one atomic upsert. */
@Injectable()
export class AliasesRepository {
  constructor(private readonly prisma: PrismaService) {}

  set(tenantId: string, modelId: string, name: string, versionId: string): Promise<ModelAlias> {
    return this.prisma.modelAlias.upsert({
      where: { modelId_name: { modelId, name } },
      create: { tenantId, modelId, name, versionId },
      update: { versionId },
    });
  }

  find(tenantId: string, modelId: string, name: string): Promise<ModelAlias | null> {
    return this.prisma.modelAlias.findFirst({ where: { tenantId, modelId, name } });
  }

  list(tenantId: string, modelId: string): Promise<ModelAlias[]> {
    return this.prisma.modelAlias.findMany({ where: { tenantId, modelId }, orderBy: { name: 'asc' } });
  }

  pointingAt(tenantId: string, versionId: string): Promise<ModelAlias[]> {
    return this.prisma.modelAlias.findMany({ where: { tenantId, versionId } });
  }

  async delete(tenantId: string, modelId: string, name: string): Promise<boolean> {
    const { count } = await this.prisma.modelAlias.deleteMany({ where: { tenantId, modelId, name } });
    return count === 1;
  }
}
