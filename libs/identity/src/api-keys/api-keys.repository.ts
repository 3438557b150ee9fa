import { Injectable } from '@nestjs/common';
import { ApiKey, PrismaService } from '@maas/db';
import type { Scope } from '../scopes';

export interface NewApiKey {
  name: string;
  publicId: string;
  secretHash: Buffer;
  scopes: readonly Scope[];
  expiresAt?: Date;
  createdById?: string;
}

/** API-key rows. Every method but the authentication lookup takes the tenant first. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, key: NewApiKey): Promise<ApiKey> {
    return this.prisma.apiKey.create({ data: { tenantId, ...key, scopes: [...key.scopes], secretHash: new Uint8Array(key.secretHash) } });
  }

  list(tenantId: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' } });
  }

  find(tenantId: string, id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { id_tenantId: { id, tenantId } } });
  }

  /** Revokes the key if still active; returns the key (revoked now or before) or null if not the tenant's. */
  async revoke(tenantId: string, id: string): Promise<{ key: ApiKey; revokedNow: boolean } | null> {
    const { count } = await this.prisma.apiKey.updateMany({ where: { id, tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
    const key = await this.find(tenantId, id);
    return key && { key, revokedNow: count === 1 };
  }

  /**
   * The authentication lookup: the key's public id names its tenant, so this one query cannot be
   * tenant-scoped. Callers must verify the secret before trusting or revealing anything.
   */
  findByPublicIdForAuthentication(publicId: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { publicId } });
  }

  async markUsed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length) await this.prisma.apiKey.updateMany({ where: { id: { in: [...ids] } }, data: { lastUsedAt: at } });
  }
}
