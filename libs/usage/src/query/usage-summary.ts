import { Injectable } from '@nestjs/common';
import { billingPeriod } from '../billing-period';
import { TenantPlans } from '../limits/tenant-plans.repository';
import { UsageQueryRepository } from './usage-query.repository';

/** The current billing period (the calendar month, UTC) so far: totals, the quota, an estimated cost at the plan's prices. */
@Injectable()
export class UsageSummary {
  constructor(
    private readonly usage: UsageQueryRepository,
    private readonly plans: TenantPlans,
  ) {}

  async current(tenantId: string, now = new Date()) {
    const period = billingPeriod(now.getTime());
    const start = new Date(period.start);
    const end = new Date(period.end);
    const [totals, limits] = await Promise.all([this.usage.totalsSince(tenantId, start), this.plans.limits(tenantId)]);
    const requestsCost = (totals.requests / 1000) * limits.pricePer1kRequests;
    const trainingCost = totals.trainingSeconds * limits.pricePerTrainingSecond;
    return {
      period: { start_time: start.getTime() / 1000, end_time: end.getTime() / 1000 },
      requests: totals.requests,
      errors: totals.errors,
      items: totals.items,
      training_seconds: totals.trainingSeconds,
      quota: { monthly_requests: limits.monthlyRequests, remaining: Math.max(0, limits.monthlyRequests - totals.requests) },
      estimated_cost: { currency: 'USD', requests: round(requestsCost), training: round(trainingCost), total: round(requestsCost + trainingCost), prices: { per_1k_requests: limits.pricePer1kRequests, per_training_second: limits.pricePerTrainingSecond } },
    };
  }
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
