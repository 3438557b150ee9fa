import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageFlusher } from '@maas/usage';
import { UsageRollupsRepository } from '../../libs/usage/src/usage-rollups.repository';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { bearer, createKey, signUp, type SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { startTestApp, type TestApp } from '../support/test-app';
import { LIMITED_MODEL_BODY, limitedTenant } from '../support/limited-tenant';
import { createModel, uploadOnnx } from '../support/uploads';

const HOUR = Date.UTC(2026, 10, 3, 10, 0, 0) / 1000;
const buckets = (counts: Record<number, number>) => Array.from({ length: 14 }, (_, index) => counts[index] ?? 0);

describe('usage: metering across processes, queries, limits', () => {
  let first: TestApp;
  let second: TestApp;
  let account: SignedUpAccount;

  beforeAll(async () => {
    first = await startTestApp(PLATFORM_MODULES);
    second = await startTestApp(PLATFORM_MODULES);
    account = await signUp(first);
    await createModel(first, account.apiKey, 'metered');
    expect((await uploadOnnx(first, account.apiKey, 'metered', mlpOnnx([4, 3]))).statusCode).toBe(201);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('counts N requests served by two gateway processes exactly N times', async () => {
    const key = await createKey(first, account.apiKey, ['infer', 'usage:read']);
    // Eight at a time: the free plan admits 16 requests in flight.
    const statuses: number[] = [];
    for (let round = 0; round < 60 / 8 + 1; round++) {
      const count = Math.min(8, 60 - statuses.length);
      statuses.push(...(await Promise.all(Array.from({ length: count }, (_, index) => infer(index % 2 ? first : second, key.key, 'metered', LIMITED_MODEL_BODY).then((response) => response.statusCode)))));
    }
    expect(statuses).toEqual(new Array(60).fill(200));
    await Promise.all([first.app.get(UsageFlusher).flush(), second.app.get(UsageFlusher).flush()]);
    const now = Math.ceil(Date.now() / 1000);
    const usage = (await first.request({ url: `/v1/usage?start_time=${now - 3600}&end_time=${now + 60}&bucket_width=1h&group_by=api_key,model&api_key_ids=${key.id}`, headers: bearer(key.key) })).json();
    const results = usage.data.flatMap((bucket: any) => bucket.results);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ api_key_id: key.id, model: 'metered', requests: 60, errors: 0, items: 60, bytes_in: 60 * 16, bytes_out: 60 * 12 });
    expect(results[0].latency_ms.p50).toBeGreaterThan(0);
  });

  it('buckets and groups by hand-computed expectations, with percentiles inside their histogram bucket', async () => {
    const tenant = await signUp(first, 'Ledger Org');
    const model = randomUUID();
    const key = randomUUID();
    const row = (minute: number, version: number, fields: Record<string, unknown>) => ({ tenantId: tenant.tenantId, minute: new Date((HOUR + minute * 60) * 1000).toISOString(), apiKeyId: key, modelId: model, versionNumber: version, requests: 0, errors: 0, clientErrors: 0, serverErrors: 0, items: 0, bytesIn: 0, bytesOut: 0, latencyMsSum: 0, trainingSeconds: 0, latencyBuckets: buckets({}), ...fields });
    await first.app.get(UsageRollupsRepository).write({
      id: `test:${randomUUID()}`,
      events: 0,
      rows: [
        // 10:00 v1: 100 requests, 90 between 2.5 and 5 ms, 10 between 25 and 50 ms; 2 client errors.
        row(0, 1, { requests: 100, errors: 2, clientErrors: 2, items: 100, latencyBuckets: buckets({ 2: 90, 5: 10 }) }),
        // 10:59 v2: 50 requests, 1 server error.
        row(59, 2, { requests: 50, errors: 1, serverErrors: 1, items: 200, latencyBuckets: buckets({ 3: 50 }) }),
        // 11:30 v1: 10 requests.
        row(90, 1, { requests: 10, items: 10, latencyBuckets: buckets({ 0: 10 }) }),
      ],
    });
    const get = async (query: string) => (await first.request({ url: `/v1/usage?start_time=${HOUR}&end_time=${HOUR + 7200}&${query}`, headers: bearer(tenant.apiKey) })).json();

    const hourly = await get('bucket_width=1h');
    expect(hourly.data.map((bucket: any) => bucket.results.map((result: any) => result.requests))).toEqual([[150], [10]]);
    const [ten] = hourly.data[0].results;
    expect(ten).toMatchObject({ errors: 3, items: 300 });
    // 150 requests: 90 in (2.5, 5], 50 in (5, 10], 10 in (25, 50] → p50 at rank 75 inside (2.5, 5]; p99 at rank 148.5 inside (25, 50].
    expect(ten.latency_ms.p50).toBeGreaterThan(2.5);
    expect(ten.latency_ms.p50).toBeLessThanOrEqual(5);
    expect(ten.latency_ms.p99).toBeGreaterThan(25);
    expect(ten.latency_ms.p99).toBeLessThanOrEqual(50);

    const byVersion = await get('bucket_width=1h&group_by=version');
    expect(byVersion.data[0].results.map((result: any) => [result.version, result.requests]).sort()).toEqual([[1, 100], [2, 50]]);
    const byStatus = await get('bucket_width=1h&group_by=status');
    expect(byStatus.data[0].results.map((result: any) => [result.status, result.requests])).toEqual([['success', 147], ['client_error', 2], ['server_error', 1]]);
    const minutes = await get('bucket_width=1m&limit=60');
    expect(minutes.data).toHaveLength(60);
    expect(minutes.has_more).toBe(true);
    expect(minutes.next_page).toBe(HOUR + 3600);
    expect(minutes.data[0].results[0].requests).toBe(100);
    expect(minutes.data[59].results[0].requests).toBe(50);
    const bad = await first.request({ url: `/v1/usage?start_time=${HOUR}&bucket_width=1m&limit=5000`, headers: bearer(tenant.apiKey) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('at most 1440 buckets');
    const csv = await first.request({ url: `/v1/usage/export?format=csv&start_time=${HOUR}&end_time=${HOUR + 7200}&bucket_width=1h&group_by=version`, headers: bearer(tenant.apiKey) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.trim().split('\n')).toHaveLength(4);
    // Another tenant sees none of it.
    const other = (await first.request({ url: `/v1/usage?start_time=${HOUR}&end_time=${HOUR + 7200}&bucket_width=1h`, headers: bearer(account.apiKey) })).json();
    expect(other.data.flatMap((bucket: any) => bucket.results)).toEqual([]);
  });

  it('holds inference to the per-minute rate without a burst past it, with RateLimit headers and Retry-After', async () => {
    const tenant = await limitedTenant(first, 'Rate Org', { requestsPerMinute: 60 }, 'limited');
    const answers = [];
    for (let index = 0; index < 10; index++) answers.push(await infer(first, tenant.apiKey, 'limited', LIMITED_MODEL_BODY));
    // A burst of a tenth of the rate (6) passes, then one a second.
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(answers[0].headers['ratelimit-policy']).toBe('"minute";q=60;w=60;burst=6');
    expect(answers[0].headers.ratelimit).toMatch(/^"minute";r=5;t=\d+$/);
    expect(answers[6].headers['retry-after']).toBe('1');
    expect(answers[6].json().error).toMatch(/Rate limit of the tenant reached: 60 requests per minute/);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await infer(first, tenant.apiKey, 'limited', LIMITED_MODEL_BODY)).statusCode).toBe(200);
  });

  it('refuses requests beyond the plan\'s concurrency limit with 429', async () => {
    const tenant = await limitedTenant(first, 'Crowd Org', { concurrentRequests: 2 }, 'crowd');
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => infer(first, tenant.apiKey, 'crowd', LIMITED_MODEL_BODY)))).map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    // Every place was given back: one at a time, all pass.
    for (let index = 0; index < 3; index++) expect((await infer(first, tenant.apiKey, 'crowd', LIMITED_MODEL_BODY)).statusCode).toBe(200);
  });

  it('stops a tenant at its monthly quota, saying which and when it resets', async () => {
    const tenant = await limitedTenant(first, 'Quota Org', { monthlyRequests: 3 }, 'quota');
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push(await infer(first, tenant.apiKey, 'quota', LIMITED_MODEL_BODY));
    expect(statuses.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(statuses[3].json().error).toMatch(/Monthly request quota used up: 3 requests a month on this plan; it resets at \d{4}-\d{2}-01T00:00:00.000Z/);
    await first.app.get(UsageFlusher).flush();
    const summary = (await first.request({ url: '/v1/usage/summary', headers: bearer(tenant.apiKey) })).json();
    expect(summary).toMatchObject({ requests: 3, quota: { monthly_requests: 3, remaining: 0 }, estimated_cost: { currency: 'USD', total: 0 } });
  });
});
