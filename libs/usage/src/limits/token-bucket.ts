import type { RateDecision } from './limit-store';

/** Tokens kept per key, refilled continuously (no window edge where twice the rate gets through). */
interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in memory: `ratePerMinute` tokens a minute, holding at most `burst`. Over any
 * minute at most `ratePerMinute + burst` requests pass, and a burst is bounded by `burst` — unlike
 * a fixed window, which lets twice the rate through across its edge.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  take(key: string, ratePerMinute: number, burst: number, now = Date.now()): RateDecision {
    const perMs = ratePerMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((burst - bucket.tokens) / perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
    };
  }

  /** Gives back a token taken for a request that another limit then refused. */
  give(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens += 1;
  }

  /** Drops buckets that have been full for a while (idle keys), so memory follows active keys. */
  sweep(now = Date.now(), idleMs = 120_000): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt > idleMs) this.buckets.delete(key);
  }
}
