import type { LimitStore, RateDecision, RateRequest } from './limit-store';
import { TokenBuckets } from './token-bucket';

/**
 * Limits in this process's memory: no round trip at all. With several gateway processes and no
 * Redis, each enforces the plan alone (the per-minute and concurrency limits are then per process).
 */
export class LocalLimitStore implements LimitStore {
  // Buckets of tenants and of keys apart, each keyed by the id itself: a key built per request
  // (`t:${tenantId}`) was a string to allocate and hash on every inference.
  private readonly tenantBuckets = new TokenBuckets();
  private readonly keyBuckets = new TokenBuckets();
  private readonly inFlight = new Map<string, number>();
  private readonly sweeper = setInterval(() => {
    this.tenantBuckets.sweep();
    this.keyBuckets.sweep();
  }, 60_000).unref();

  take({ tenantId, apiKeyId, ratePerMinute, burst }: RateRequest, now = Date.now()): RateDecision {
    const tenant = this.tenantBuckets.take(tenantId, ratePerMinute, burst, now);
    if (!tenant.allowed) return { ...tenant, refusedBy: 'tenant' };
    if (!apiKeyId) return tenant;
    const key = this.keyBuckets.take(apiKeyId, ratePerMinute, burst, now);
    if (!key.allowed) {
      this.tenantBuckets.give(tenantId);
      return { ...key, refusedBy: 'key' };
    }
    return tenant.remaining <= key.remaining ? tenant : key;
  }

  enter(tenantId: string, limit: number): boolean {
    const running = this.inFlight.get(tenantId) ?? 0;
    if (running >= limit) return false;
    this.inFlight.set(tenantId, running + 1);
    return true;
  }

  leave(tenantId: string): void {
    const running = (this.inFlight.get(tenantId) ?? 1) - 1;
    if (running > 0) this.inFlight.set(tenantId, running);
    else this.inFlight.delete(tenantId);
  }

  /** Requests this process has in flight per tenant (what the shared store reports to the others). */
  running(): ReadonlyMap<string, number> {
    return this.inFlight;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
