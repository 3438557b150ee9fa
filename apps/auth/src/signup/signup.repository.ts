import { Injectable } from '@nestjs/common';
import { ApiKey, PrismaService, Tenant, User } from '@maas/db';
import { AuditLog, MintedApiKey, SCOPES } from '@maas/identity';

export interface NewAccount {
  organization: string;
  slug: string;
  email: string;
  passwordHash: string;
  firstKey: MintedApiKey;
  ip?: string;
}

/** Creates a tenant, its owner, the first API key and the audit event in one transaction. */
@Injectable()
export class SignupRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditLog,
  ) {}

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.prisma.tenant.count({ where: { slug } })) > 0;
  }

  createAccount(account: NewAccount): Promise<{ tenant: Tenant; user: User; key: ApiKey }> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { name: account.organization, slug: account.slug } });
      const user = await tx.user.create({ data: { tenantId: tenant.id, email: account.email, passwordHash: account.passwordHash, role: 'OWNER' } });
      const key = await tx.apiKey.create({
        data: { tenantId: tenant.id, createdById: user.id, name: 'First key', publicId: account.firstKey.publicId, secretHash: new Uint8Array(account.firstKey.secretHash), scopes: [...SCOPES] },
      });
      const actor = { kind: 'session' as const, userId: user.id };
      await this.audit.record(tenant.id, actor, { action: 'tenant.signed_up', targetType: 'tenant', targetId: tenant.id, ip: account.ip }, tx);
      await this.audit.record(tenant.id, actor, { action: 'api_key.created', targetType: 'api_key', targetId: key.id, details: { name: key.name, scopes: key.scopes }, ip: account.ip }, tx);
      return { tenant, user, key };
    });
  }
}
