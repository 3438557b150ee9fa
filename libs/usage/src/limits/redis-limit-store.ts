import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import IORedis from 'ioredis';
import type { LimitStore, RateDecision, RateRequest } from './limit-store';
import { LocalLimitStore } from './local-limit-store';
import { LEASE_SCRIPT, REPORT_SCRIPT } from './redis-limit-scripts';

/** A lease covers about this long at the plan's rate: the hot path asks Redis about 4 times a second per key. */
const LEASE_MS = 250;
/**
 * Leased tokens unused this long are dropped: spent later they would come on top of the bucket's
 * burst. What is dropped is at most one lease, which the bucket refills within LEASE_MS.
 */
const IDLE_LEASE_MS = 1_000;
const REPORT_MS = 200;
/** A process's in-flight report counts this long; a process that stopped reporting drops out after it. */
const FRESH_MS = 1_500;
/** After a Redis failure, this process limits alone for this long before it tries Redis again. */
const DEGRADED_MS = 1_000;
const PREFIX = 'maas:limits';

interface LimitRedis extends IORedis {
  lease(tenantBucket: string, keyBucket: string, ratePerMinute: number, burst: number, want: number): Promise<[number, number, number, number]>;
  reportRunning(hash: string, process: string, running: number, freshMs: number): Promise<number>;
}

/** Tokens this process has leased from the tenant's and key's shared buckets, and what Redis said last. */
interface Lease {
  tenantBucket: string;
  keyBucket: string;
  tokens: number;
  /** Tokens left in the shared bucket at the last lease. */
  left: number;
  resetSeconds: number;
  /** The shared bucket was empty: refuse locally until a token is due. */
  blockedUntil: number;
  bindingIsTenant: boolean;
  usedAt: number;
  renewing?: Promise<void>;
}

interface OthersRunning {
  running: number;
  at: number;
}

/**
 * The plan's limits shared by every gateway process through Redis. Per-minute buckets live in
 * Redis; each process leases tokens from them in chunks (about LEASE_MS's worth at the plan's
 * rate) and spends them locally, so the hot path has no round trip — it renews in the background
 * when a lease runs low and waits only when it has run out. Tokens are taken atomically before
 * they are spent, so the processes together pass no more than the bucket allows (plus, at a
 * window's edge, a lease taken just before it); leases unused for IDLE_LEASE_MS are dropped. Requests in
 * flight are reported by each process every REPORT_MS and admitted against the sum of the others'
 * reports (so two processes may together pass the limit by what each admits within one report).
 * When Redis fails, the process limits alone (in memory) and tries Redis again a second later.
 */
export class RedisLimitStore implements LimitStore {
  private readonly logger = new Logger('Limits');
  private readonly redis: LimitRedis;
  private readonly process = randomUUID();
  private readonly local = new LocalLimitStore();
  private readonly leases = new Map<string, Lease>();
  private readonly others = new Map<string, OthersRunning>();
  private readonly activeAt = new Map<string, number>();
  private degradedUntil = 0;
  private storeDown = false;
  private readonly timers: NodeJS.Timeout[];

  constructor(redisUrl: string) {
    this.redis = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, retryStrategy: (attempt) => Math.min(attempt * 50, 500) }) as LimitRedis;
    this.redis.on('error', () => undefined); // reported once per outage by storeFailed, not per reconnect attempt
    this.redis.defineCommand('lease', { numberOfKeys: 2, lua: LEASE_SCRIPT });
    this.redis.defineCommand('reportRunning', { numberOfKeys: 1, lua: REPORT_SCRIPT });
    this.timers = [setInterval(() => void this.report(), REPORT_MS).unref(), setInterval(() => this.expireIdle(), IDLE_LEASE_MS).unref()];
  }

  /** Waits (at most `waitMs`) for Redis to answer, so the first requests are already shared; starts alone if it does not. */
  static async open(redisUrl: string, waitMs = 2_000): Promise<RedisLimitStore> {
    const store = new RedisLimitStore(redisUrl);
    await store.ready(waitMs);
    return store;
  }

  ready(waitMs: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  take(request: RateRequest): RateDecision | Promise<RateDecision> {
    const now = Date.now();
    if (now < this.degradedUntil || this.redis.status !== 'ready') return this.local.take(request, now);
    const lease = this.leaseOf(request);
    if (lease.tokens >= 1) return this.spend(lease, request, now);
    if (now < lease.blockedUntil) return refusal(lease, request, now);
    return this.renew(lease, request).then(
      () => (lease.tokens >= 1 ? this.spend(lease, request, Date.now()) : refusal(lease, request, Date.now())),
      (error: Error) => {
        this.storeFailed(error);
        return this.local.take(request);
      },
    );
  }

  enter(tenantId: string, limit: number): boolean {
    const now = Date.now();
    this.activeAt.set(tenantId, now);
    const others = this.others.get(tenantId);
    const elsewhere = others && now - others.at < FRESH_MS ? others.running : 0;
    return this.local.enter(tenantId, limit - elsewhere);
  }

  leave(tenantId: string): void {
    this.activeAt.set(tenantId, Date.now());
    this.local.leave(tenantId);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.local.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private leaseOf({ tenantId, apiKeyId }: RateRequest): Lease {
    const id = `${tenantId}/${apiKeyId ?? ''}`;
    let lease = this.leases.get(id);
    if (!lease) {
      const tenantBucket = `${PREFIX}:t:${tenantId}`;
      lease = { tenantBucket, keyBucket: apiKeyId ? `${PREFIX}:k:${apiKeyId}` : tenantBucket, tokens: 0, left: 0, resetSeconds: 0, blockedUntil: 0, bindingIsTenant: true, usedAt: 0 };
      this.leases.set(id, lease);
    }
    return lease;
  }

  private spend(lease: Lease, request: RateRequest, now: number): RateDecision {
    lease.tokens -= 1;
    lease.usedAt = now;
    // Renew before the lease runs out, so the next requests find tokens here.
    if (lease.tokens < chunkOf(request) / 2 && now >= lease.blockedUntil) this.renew(lease, request).catch((error: Error) => this.storeFailed(error));
    return { allowed: true, remaining: Math.floor(lease.tokens + lease.left), resetSeconds: lease.resetSeconds, retryAfterSeconds: 0 };
  }

  /** One lease request in flight per lease; everyone short of tokens waits for it. */
  private renew(lease: Lease, request: RateRequest): Promise<void> {
    lease.renewing ??= this.redis
      .lease(lease.tenantBucket, lease.keyBucket, request.ratePerMinute, request.burst, chunkOf(request))
      .then(([granted, milliTokensLeft, msUntilFull, tenantBinds]) => {
        const now = Date.now();
        lease.tokens += granted;
        lease.left = milliTokensLeft / 1000;
        lease.resetSeconds = Math.ceil(msUntilFull / 1000);
        lease.bindingIsTenant = tenantBinds === 1;
        lease.blockedUntil = granted === 0 ? now + ((1 - lease.left) * 60_000) / request.ratePerMinute : 0;
        this.storeRecovered();
      })
      .finally(() => (lease.renewing = undefined));
    return lease.renewing;
  }

  /** Tells Redis what this process has in flight for each tenant active lately, and learns the others' (one pipeline of calls). */
  private async report(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    const now = Date.now();
    const reports: Promise<void>[] = [];
    for (const [tenantId, activeAt] of this.activeAt) {
      if (now - activeAt > FRESH_MS * 2) {
        this.activeAt.delete(tenantId);
        this.others.delete(tenantId);
        continue;
      }
      const running = this.local.running().get(tenantId) ?? 0;
      reports.push(this.redis.reportRunning(`${PREFIX}:running:${tenantId}`, this.process, running, FRESH_MS).then((others) => void this.others.set(tenantId, { running: others, at: Date.now() })));
    }
    try {
      await Promise.all(reports);
      if (reports.length > 0) this.storeRecovered();
    } catch (error) {
      this.storeFailed(error as Error);
    }
  }

  /** Drops leases left unused for IDLE_LEASE_MS (their tokens) and, after two minutes, forgets them. */
  private expireIdle(): void {
    const now = Date.now();
    for (const [id, lease] of this.leases) {
      if (now - lease.usedAt < IDLE_LEASE_MS || lease.renewing) continue;
      lease.tokens = 0;
      if (now - lease.usedAt > 120_000) this.leases.delete(id);
    }
  }

  private storeFailed(error: Error): void {
    if (!this.storeDown) this.logger.warn(`Redis unreachable for the shared limits (${error.message}); this process limits alone until it answers`);
    this.storeDown = true;
    this.degradedUntil = Date.now() + DEGRADED_MS;
  }

  private storeRecovered(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.degradedUntil = 0;
    this.logger.log('Redis answers again: limits are shared across processes');
  }
}

/** Tokens asked for at once: about LEASE_MS's worth at the plan's rate, at least one, at most the burst. */
function chunkOf({ ratePerMinute, burst }: RateRequest): number {
  return Math.max(1, Math.min(burst, Math.ceil((ratePerMinute * LEASE_MS) / 60_000)));
}

function refusal(lease: Lease, request: RateRequest, now: number): RateDecision {
  const retryAfterSeconds = Math.max(1, Math.ceil((lease.blockedUntil - now) / 1000));
  return { allowed: false, remaining: 0, resetSeconds: Math.max(lease.resetSeconds, retryAfterSeconds), retryAfterSeconds, refusedBy: lease.bindingIsTenant || !request.apiKeyId ? 'tenant' : 'key' };
}
