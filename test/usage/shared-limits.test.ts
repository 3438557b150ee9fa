import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { infer } from '../support/inference';
import { LIMITED_MODEL_BODY, limitedTenant } from '../support/limited-tenant';
import { LOCAL_REDIS_URL } from '../support/redis-server';
import { startTestApp, type TestApp } from '../support/test-app';


describe.skipIf(!inject('redisAvailable'))('usage: plan limits shared by two gateway processes through Redis', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp(PLATFORM_MODULES, { REDIS_URL: LOCAL_REDIS_URL });
    second = await startTestApp(PLATFORM_MODULES, { REDIS_URL: LOCAL_REDIS_URL });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('lets one burst through across both processes, not one per process', async () => {
    const tenant = await limitedTenant(first, 'Shared Rate Org', { requestsPerMinute: 60 }, 'shared');
    const answers = [];
    for (let index = 0; index < 12; index++) answers.push(await infer(index % 2 ? first : second, tenant.apiKey, 'shared', LIMITED_MODEL_BODY));
    // Limited alone, each process would let its own burst of 6 through: 12 in all.
    expect(answers.map((answer) => answer.statusCode)).toEqual([...new Array(6).fill(200), ...new Array(6).fill(429)]);
    expect(answers[0].headers['ratelimit-policy']).toBe('"minute";q=60;w=60;burst=6');
    expect(answers[6].headers['retry-after']).toBe('1');
    expect(answers[6].json().error).toMatch(/Rate limit of the tenant reached: 60 requests per minute/);
  });
});
