import type { Plan } from '@maas/db';

export interface TenantLimits {
  /** Inference requests per minute, for the tenant and for each of its keys (a token bucket). */
  requestsPerMinute: number;
  /** Inference requests in flight at once, for the tenant. */
  concurrentRequests: number;
  /** Inference requests per calendar month (UTC). */
  monthlyRequests: number;
  storageBytes: number;
  /** Training jobs queued or running at once. */
  concurrentTrainingJobs: number;
  /** Prices for the cost estimate, in USD. */
  pricePer1kRequests: number;
  pricePerTrainingSecond: number;
}

/** What each plan allows and costs; a tenant's own `limits` JSON overrides single fields. */
export const PLAN_LIMITS: Record<Plan, TenantLimits> = {
  FREE: { requestsPerMinute: 600, concurrentRequests: 16, monthlyRequests: 100_000, storageBytes: 5 * 1024 ** 3, concurrentTrainingJobs: 1, pricePer1kRequests: 0, pricePerTrainingSecond: 0 },
  PRO: { requestsPerMinute: 6_000, concurrentRequests: 128, monthlyRequests: 10_000_000, storageBytes: 100 * 1024 ** 3, concurrentTrainingJobs: 4, pricePer1kRequests: 0.02, pricePerTrainingSecond: 0.0005 },
  ENTERPRISE: { requestsPerMinute: 60_000, concurrentRequests: 1_024, monthlyRequests: 1_000_000_000, storageBytes: 2 * 1024 ** 4, concurrentTrainingJobs: 16, pricePer1kRequests: 0.01, pricePerTrainingSecond: 0.0003 },
};

/** The plan's defaults, then the operator's (MAAS_PLAN_LIMITS), then the tenant's own overrides. */
export function limitsOf(plan: Plan, tenantOverrides: unknown, configured: Partial<Record<Plan, Record<string, number>>> = {}): TenantLimits {
  const own = typeof tenantOverrides === 'object' && tenantOverrides !== null ? (tenantOverrides as Partial<TenantLimits>) : {};
  return { ...PLAN_LIMITS[plan], ...(configured[plan] as Partial<TenantLimits> | undefined), ...own };
}
