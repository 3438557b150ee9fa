import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { LOCAL_REDIS_URL } from '../../../../test/support/redis-server';
import { TcpProxy } from '../../../../test/support/tcp-proxy';
import type { RateDecision, RateRequest } from './limit-store';
import { RedisLimitStore } from './redis-limit-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = async (decision: RateDecision | Promise<RateDecision>) => decision;

describe.skipIf(!inject('redisAvailable'))('RedisLimitStore: plan limits shared by processes through Redis', () => {
  const stores: RedisLimitStore[] = [];
  const open = async (url = LOCAL_REDIS_URL) => {
    const store = await RedisLimitStore.open(url);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('lets the burst through once across two processes, not once per process, then one token per refill', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const request: RateRequest = { tenantId: randomUUID(), apiKeyId: randomUUID(), ratePerMinute: 60, burst: 6 };
    const answers: boolean[] = [];
    for (let index = 0; index < 16; index++) answers.push((await settle((index % 2 ? first : second).take(request))).allowed);
    expect(answers.filter(Boolean)).toHaveLength(6);
    expect(answers.slice(0, 6)).toEqual(new Array(6).fill(true));
    const refused = await settle(first.take(request));
    expect(refused).toMatchObject({ allowed: false, refusedBy: 'tenant' });
    expect(refused.retryAfterSeconds).toBe(1);
    await sleep(1_100);
    expect((await settle(second.take(request))).allowed).toBe(true);
  });

  it('counts the tenant bucket across keys', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const tenantId = randomUUID();
    const keyA: RateRequest = { tenantId, apiKeyId: randomUUID(), ratePerMinute: 600, burst: 60 };
    let passed = 0;
    for (let index = 0; index < 80; index++) if ((await settle((index % 2 ? first : second).take(keyA))).allowed) passed++;
    // The key's and the tenant's buckets both hold 60 (plus what refills during the loop).
    expect(passed).toBeGreaterThanOrEqual(60);
    expect(passed).toBeLessThanOrEqual(62);
    const refused = await settle(first.take(keyA));
    expect(refused.allowed).toBe(false);
    // Another key of the same tenant finds the tenant's bucket spent as well.
    expect((await settle(second.take({ ...keyA, apiKeyId: randomUUID() }))).allowed).toBe(false);
  });

  it('admits requests in flight against what the other processes report', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const tenantId = randomUUID();
    expect(first.enter(tenantId, 3)).toBe(true);
    expect(first.enter(tenantId, 3)).toBe(true);
    // Reports go out every 200 ms; a process that has not heard yet admits on its own count.
    expect(second.enter(tenantId, 3)).toBe(true);
    second.leave(tenantId);
    await sleep(500);
    expect(second.enter(tenantId, 3)).toBe(true);
    expect(second.enter(tenantId, 3)).toBe(false);
    first.leave(tenantId);
    first.leave(tenantId);
    await sleep(500);
    expect(second.enter(tenantId, 3)).toBe(true);
    expect(second.enter(tenantId, 3)).toBe(true);
  });

  it('limits alone while Redis is unreachable, and shares again once it answers', async () => {
    const proxy = await TcpProxy.start('127.0.0.1', 6379);
    try {
      const store = await open(proxy.rewrite(LOCAL_REDIS_URL));
      const request: RateRequest = { tenantId: randomUUID(), apiKeyId: randomUUID(), ratePerMinute: 60, burst: 6 };
      expect((await settle(store.take(request))).allowed).toBe(true);
      proxy.cut();
      // In memory now: its own bucket of 6, then refusals — never an error.
      const during: boolean[] = [];
      for (let index = 0; index < 8; index++) during.push((await settle(store.take(request))).allowed);
      expect(during.filter(Boolean).length).toBeGreaterThanOrEqual(5);
      expect(during.slice(-2)).toEqual([false, false]);
      proxy.restore();
      await sleep(2_500);
      // Back on the shared bucket: once another process has spent it, this one is refused too,
      // though its own bucket in memory has refilled 2.5 tokens meanwhile.
      const other = await open();
      for (let index = 0; index < 10; index++) await settle(other.take(request));
      expect((await settle(store.take(request))).allowed).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});
