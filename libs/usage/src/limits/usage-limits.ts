import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { TenantLimits } from '@maas/identity';
import { billingPeriod } from '../billing-period';
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

  /** Synchronous when the tenant's plan and month are known (the usual case): no promise on the hot path. */
  admit(tenantId: string, apiKeyId: string | undefined): Admission | Promise<Admission> {
    const limits = this.plans.limits(tenantId);
    const month = this.months.get(tenantId);
    const now = Date.now();
    if (limits instanceof Promise || !month || month.periodStart !== billingPeriod(now).start) return this.admitFirst(tenantId, apiKeyId, limits);
    if (now - month.refreshedAt > QUOTA_REFRESH_MS) month.refreshing ??= this.refresh(tenantId, month).finally(() => (month.refreshing = undefined));
    return this.admitNow(tenantId, apiKeyId, limits, month, now);
  }

  private async admitFirst(tenantId: string, apiKeyId: string | undefined, pending: TenantLimits | Promise<TenantLimits>): Promise<Admission> {
    const limits = await pending;
    const periodStart = billingPeriod(Date.now()).start;
    let month = this.months.get(tenantId);
    if (!month || month.periodStart !== periodStart) {
      month = { periodStart, stored: 0, sinceRefresh: 0, refreshedAt: 0 };
      this.months.set(tenantId, month);
      await this.refresh(tenantId, month);
    }
    return this.admitNow(tenantId, apiKeyId, limits, month, Date.now());
  }

  private admitNow(tenantId: string, apiKeyId: string | undefined, limits: TenantLimits, month: MonthCount, now: number): Admission {
    if (month.stored + month.sinceRefresh >= limits.monthlyRequests) {
      const resetsAt = billingPeriod(now).end;
      throw new QuotaExceededError(`Monthly request quota used up: ${limits.monthlyRequests} requests a month on this plan; it resets at ${new Date(resetsAt).toISOString()}`, Math.ceil((resetsAt - now) / 1000));
    }
    const burst = Math.max(1, Math.ceil(limits.requestsPerMinute / 10));
    const tenant = this.buckets.take(`t:${tenantId}`, limits.requestsPerMinute, burst, now);
    const key = apiKeyId ? this.buckets.take(`k:${apiKeyId}`, limits.requestsPerMinute, burst, now) : tenant;
    const binding = !tenant.allowed || tenant.remaining <= key.remaining ? tenant : key;
    const headers = { 'ratelimit-policy': policyField(limits.requestsPerMinute, burst), ratelimit: `"minute";r=${Math.max(0, binding.remaining)};t=${binding.resetSeconds}` };
    if (!tenant.allowed || !key.allowed) {
      const which = !tenant.allowed ? 'the tenant' : 'this API key';
      throw Object.assign(new RateLimitedError(`Rate limit of ${which} reached: ${limits.requestsPerMinute} requests per minute (bursts of ${burst}); retry after ${binding.retryAfterSeconds} s`, binding.retryAfterSeconds), { headers });
    }
    const running = (this.inFlight.get(tenantId) ?? 0) + 1;
    if (running > limits.concurrentRequests) throw Object.assign(new RateLimitedError(`Too many requests in flight: the plan allows ${limits.concurrentRequests} at once`, 1), { headers });
    this.inFlight.set(tenantId, running);
    month.sinceRefresh++;
    return new TenantAdmission(headers, () => this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 1) - 1));
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

/** Gives its place in the concurrency limit back once, however often `release` is called. */
class TenantAdmission implements Admission {
  private released = false;

  constructor(
    readonly headers: Record<string, string>,
    private readonly giveBack: () => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.giveBack();
  }
}

const policyFields = new Map<number, string>();

/** The RateLimit-Policy field of a rate: the same few strings for every request, built once. */
function policyField(requestsPerMinute: number, burst: number): string {
  let field = policyFields.get(requestsPerMinute);
  if (field === undefined) {
    field = `"minute";q=${requestsPerMinute};w=60;burst=${burst}`;
    policyFields.set(requestsPerMinute, field);
  }
  return field;
}
