import type { Plan } from '@maas/db';

export interface TenantLimits {
  requestsPerMinute: number;
  storageBytes: number;
  concurrentTrainingJobs: number;
}

/** What each plan allows; a tenant's own `limits` JSON overrides single fields. */
export const PLAN_LIMITS: Record<Plan, TenantLimits> = {
  FREE: { requestsPerMinute: 600, storageBytes: 5 * 1024 ** 3, concurrentTrainingJobs: 1 },
  PRO: { requestsPerMinute: 6_000, storageBytes: 100 * 1024 ** 3, concurrentTrainingJobs: 4 },
  ENTERPRISE: { requestsPerMinute: 60_000, storageBytes: 2 * 1024 ** 4, concurrentTrainingJobs: 16 },
};

export function limitsOf(plan: Plan, overrides: unknown): TenantLimits {
  const own = typeof overrides === 'object' && overrides !== null ? (overrides as Partial<TenantLimits>) : {};
  return { ...PLAN_LIMITS[plan], ...own };
}
