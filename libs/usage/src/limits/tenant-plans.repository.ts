import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { isDatabaseUnavailable, PrismaService } from '@maas/db';
import { limitsOf, type TenantLimits } from '@maas/identity';

const CACHE_MS = 30_000;

/** Each tenant's limits (its plan's, with its own overrides), cached; a stale entry serves while the database is away. */
@Injectable()
export class TenantPlans {
  private readonly cache = new Map<string, { limits: TenantLimits; until: number }>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  limits(tenantId: string): TenantLimits | Promise<TenantLimits> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.limits;
    return this.load(tenantId, cached?.limits);
  }

  private async load(tenantId: string, stale: TenantLimits | undefined): Promise<TenantLimits> {
    try {
      const tenant = await this.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true, limits: true } });
      const limits = limitsOf(tenant.plan, tenant.limits, this.config.planLimits);
      this.cache.set(tenantId, { limits, until: Date.now() + CACHE_MS });
      return limits;
    } catch (error) {
      if (stale && isDatabaseUnavailable(error)) return stale;
      throw error;
    }
  }
}
