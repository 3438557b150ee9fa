import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { signUp } from '../support/accounts';
import { infer } from '../support/inference';
import { LOCAL_REDIS_URL } from '../support/redis-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

const BODY = { inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] };

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
    const tenant = await signUp(first, 'Shared Rate Org');
    await first.app.get(PrismaService).tenant.update({ where: { id: tenant.tenantId }, data: { limits: { requestsPerMinute: 60 } } });
    await createModel(first, tenant.apiKey, 'shared');
    expect((await uploadOnnx(first, tenant.apiKey, 'shared', mlpOnnx([4, 3]))).statusCode).toBe(201);
    const answers = [];
    for (let index = 0; index < 12; index++) answers.push(await infer(index % 2 ? first : second, tenant.apiKey, 'shared', BODY));
    // Limited alone, each process would let its own burst of 6 through: 12 in all.
    expect(answers.map((answer) => answer.statusCode)).toEqual([...new Array(6).fill(200), ...new Array(6).fill(429)]);
    expect(answers[0].headers['ratelimit-policy']).toBe('"minute";q=60;w=60;burst=6');
    expect(answers[6].headers['retry-after']).toBe('1');
    expect(answers[6].json().error).toMatch(/Rate limit of the tenant reached: 60 requests per minute/);
  });
});
