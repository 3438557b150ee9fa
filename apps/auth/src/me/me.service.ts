import { AppConfig } from '@maas/config';
import { Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '@maas/db';
import { ApiKeysRepository, displayPrefix, limitsOf, Principal, UsersRepository } from '@maas/identity';

@Injectable()
export class MeService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly keys: ApiKeysRepository,
  ) {}

  async describe(principal: Principal) {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: principal.tenantId } });
    if (!tenant) throw new NotFoundException('Tenant not found');
    const user = principal.kind === 'session' && principal.userId ? await this.users.find(tenant.id, principal.userId) : null;
    const key = principal.apiKeyId ? await this.keys.find(tenant.id, principal.apiKeyId) : null;
    return {
      tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, plan: tenant.plan, limits: limitsOf(tenant.plan, tenant.limits, this.config.planLimits) },
      user: user && { id: user.id, email: user.email, role: user.role },
      apiKey: key && { id: key.id, name: key.name, prefix: displayPrefix(key.publicId), expiresAt: key.expiresAt },
      scopes: principal.scopes,
    };
  }
}
