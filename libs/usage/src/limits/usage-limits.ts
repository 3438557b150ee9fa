import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { TenantLimits } from '@maas/identity';
import { UsageQueryRepository } from '../query/usage-query.repository';
import { QuotaExceededError, RateLimitedError } from './limit-errors';
import { TenantPlans } from './tenant-plans.repository';
import { TokenBuckets } from './token-bucket';

/** How often the month's count is re-read from the rollups; between reads, this process counts its own. */
const QUOTA_REFRESH_MS = 10_000;

export interface Admission {
  /** IETF RateLimit-Policy and RateLimit fields for the answer. */
  headers: Record<string, string>;
  release(): void;
}

interface MonthCount {
  periodStart: number;
  stored: number;
  sinceRefresh: number;
  refreshedAt: number;
  refreshing?: Promise<void>;
}

/**
 * Admits inference requests within the tenant's plan: requests per minute for the tenant and for
 * each key (token buckets: at most the rate plus a tenth of it in any minute), requests in flight,
 * and the monthly quota (counted from the usage rollups, plus this process's own requests since the
 * last read). All in this process's memory: checks cost no round trip. With several gateway
 * processes each enforces the limits alone (the per-minute ones are then per process).
 */
@Injectable()
export class UsageLimits implements OnModuleDestroy {
  private readonly buckets = new TokenBuckets();
  private readonly inFlight = new Map<string, number>();
  private readonly months = new Map<string, MonthCount>();
  private readonly sweeper = setInterval(() => this.buckets.sweep(), 60_000).unref();

  constructor(
    private readonly plans: TenantPlans,
    private readonly usage: UsageQueryRepository,
  ) {}

  async admit(tenantId: string, apiKeyId: string | undefined): Promise<Admission> {
    const limits = await this.plans.limits(tenantId);
    const burst = Math.max(1, Math.ceil(limits.requestsPerMinute / 10));
    await this.checkQuota(tenantId, limits);
    const tenant = this.buckets.take(`t:${tenantId}`, limits.requestsPerMinute, burst);
    const key = apiKeyId ? this.buckets.take(`k:${apiKeyId}`, limits.requestsPerMinute, burst) : tenant;
    const binding = !tenant.allowed || tenant.remaining <= key.remaining ? tenant : key;
    const headers = { 'ratelimit-policy': `"minute";q=${limits.requestsPerMinute};w=60;burst=${burst}`, ratelimit: `"minute";r=${Math.max(0, binding.remaining)};t=${binding.resetSeconds}` };
    if (!tenant.allowed || !key.allowed) {
      const which = !tenant.allowed ? 'the tenant' : 'this API key';
      throw Object.assign(new RateLimitedError(`Rate limit of ${which} reached: ${limits.requestsPerMinute} requests per minute (bursts of ${burst}); retry after ${binding.retryAfterSeconds} s`, binding.retryAfterSeconds), { headers });
    }
    const running = (this.inFlight.get(tenantId) ?? 0) + 1;
    if (running > limits.concurrentRequests) throw Object.assign(new RateLimitedError(`Too many requests in flight: the plan allows ${limits.concurrentRequests} at once`, 1), { headers });
    this.inFlight.set(tenantId, running);
    this.months.get(tenantId)!.sinceRefresh++;
    let released = false;
    return {
      headers,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 1) - 1);
      },
    };
  }

  private async checkQuota(tenantId: string, limits: TenantLimits): Promise<void> {
    const periodStart = monthStart(Date.now());
    let month = this.months.get(tenantId);
    if (!month || month.periodStart !== periodStart) {
      month = { periodStart, stored: 0, sinceRefresh: 0, refreshedAt: 0 };
      this.months.set(tenantId, month);
      await this.refresh(tenantId, month);
    } else if (Date.now() - month.refreshedAt > QUOTA_REFRESH_MS) {
      month.refreshing ??= this.refresh(tenantId, month).finally(() => (month!.refreshing = undefined));
    }
    if (month.stored + month.sinceRefresh >= limits.monthlyRequests) {
      const resetsAt = nextMonthStart(Date.now());
      throw new QuotaExceededError(`Monthly request quota used up: ${limits.monthlyRequests} requests a month on this plan; it resets at ${new Date(resetsAt).toISOString()}`, Math.ceil((resetsAt - Date.now()) / 1000));
    }
  }

  /** Re-reads the month's count; requests counted locally since then are in it once flushed. */
  private async refresh(tenantId: string, month: MonthCount): Promise<void> {
    const counted = month.sinceRefresh;
    try {
      const totals = await this.usage.totalsSince(tenantId, new Date(month.periodStart));
      month.stored = totals.requests;
      month.sinceRefresh -= counted;
      month.refreshedAt = Date.now();
    } catch {
      // The database is away: keep counting locally and read again at the next request.
      month.refreshedAt = Date.now();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}

function monthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
