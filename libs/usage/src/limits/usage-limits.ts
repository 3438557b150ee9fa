import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { TenantLimits } from '@maas/identity';
import { billingPeriod } from '../billing-period';
import { UsageQueryRepository } from '../query/usage-query.repository';
import { QuotaExceededError, RateLimitedError } from './limit-errors';
import { TenantPlans } from './tenant-plans.repository';
import { LIMIT_STORE, type LimitStore, type RateDecision } from './limit-store';

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
 * last read). The buckets and in-flight counts live in the LimitStore: this process's memory, or
 * Redis shared by every gateway process, leased so that checks rarely cost a round trip.
 */
@Injectable()
export class UsageLimits implements OnModuleDestroy {
  private readonly months = new Map<string, MonthCount>();

  constructor(
    private readonly plans: TenantPlans,
    private readonly usage: UsageQueryRepository,
    @Inject(LIMIT_STORE) private readonly store: LimitStore,
  ) {}

  /** Synchronous when the tenant's plan and month are known and tokens are at hand (the usual case): no promise on the hot path. */
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

  private admitNow(tenantId: string, apiKeyId: string | undefined, limits: TenantLimits, month: MonthCount, now: number): Admission | Promise<Admission> {
    if (month.stored + month.sinceRefresh >= limits.monthlyRequests) {
      const resetsAt = billingPeriod(now).end;
      throw new QuotaExceededError(`Monthly request quota used up: ${limits.monthlyRequests} requests a month on this plan; it resets at ${new Date(resetsAt).toISOString()}`, Math.ceil((resetsAt - now) / 1000));
    }
    // In flight first: a request refused for concurrency must not spend a per-minute token.
    if (!this.store.enter(tenantId, limits.concurrentRequests)) throw new RateLimitedError(`Too many requests in flight: the plan allows ${limits.concurrentRequests} at once`, 1);
    const burst = Math.max(1, Math.ceil(limits.requestsPerMinute / 10));
    const leave = () => this.store.leave(tenantId);
    const decision = this.store.take({ tenantId, apiKeyId, ratePerMinute: limits.requestsPerMinute, burst });
    return decision instanceof Promise ? decision.then((settled) => admitted(settled, limits, burst, month, leave)) : admitted(decision, limits, burst, month, leave);
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

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}

/** The admission of a request the buckets let through, or the 429 of one they refused. */
function admitted(decision: RateDecision, limits: TenantLimits, burst: number, month: MonthCount, leave: () => void): Admission {
  const headers = { 'ratelimit-policy': policyField(limits.requestsPerMinute, burst), ratelimit: `"minute";r=${Math.max(0, decision.remaining)};t=${decision.resetSeconds}` };
  if (!decision.allowed) {
    leave();
    const which = decision.refusedBy === 'key' ? 'this API key' : 'the tenant';
    throw Object.assign(new RateLimitedError(`Rate limit of ${which} reached: ${limits.requestsPerMinute} requests per minute (bursts of ${burst}); retry after ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds), { headers });
  }
  month.sinceRefresh++;
  return new TenantAdmission(headers, leave);
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
