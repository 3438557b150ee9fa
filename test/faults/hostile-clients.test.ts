import { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { residentMegabytes } from '../bench/process-memory';
import { bearer, signUp } from '../support/accounts';
import { startServingPlatform, type ServingPlatform } from '../support/fault-platform';
import { httpRequester } from '../support/http-client';
import { trickle } from '../support/raw-socket';

const REQUEST_TIMEOUT_MS = 2_000;
const HEADERS_TIMEOUT_MS = 1_000;

/**
 * Clients that are slow, huge or malicious get a 4xx or a timeout; the process's memory stays bounded
 * and another tenant's inference keeps answering meanwhile.
 */
describe('hostile clients', () => {
  let serving: ServingPlatform;

  beforeAll(async () => {
    serving = await startServingPlatform(inject('databaseUrl'), {
      MAAS_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      MAAS_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      MAAS_MAX_REQUEST_BYTES: String(16 * 1024 * 1024),
    });
  });

  afterAll(async () => {
    await serving?.platform.stop();
  });

  it('cuts off a body that trickles in after the request timeout, while other tenants are served', async () => {
    const attacker = await signUp(serving.client, 'Slow Org');
    const head = `POST /v2/models/mlp/infer HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${attacker.apiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const slowClients = Array.from({ length: 50 }, () => trickle(serving.platform.url, head, '{'.repeat(1000), 100, 15_000));
    const others = [];
    for (let index = 0; index < 20; index++) others.push((await serving.inferOnce()).statusCode);
    const exchanges = await Promise.all(slowClients);
    expect(others.every((status) => status === 200)).toBe(true);
    for (const exchange of exchanges) {
      expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
      expect(exchange.received === '' || exchange.received.startsWith('HTTP/1.1 408')).toBe(true);
    }
  });

  it('cuts off headers that trickle in after the headers timeout', async () => {
    const exchange = await trickle(serving.platform.url, 'GET /v1/me HTTP/1.1\r\nHost: x\r\n', 'X-Slow: '.padEnd(200, 'a'), 100, 10_000);
    expect(exchange.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2_500);
    expect(exchange.received === '' || exchange.received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('refuses headers over 16 KiB with 431', async () => {
    // Its own connection: the server closes it after the 431, which would spoil a kept-alive pool.
    const oneShot = httpRequester(serving.platform.url, new Agent({ keepAlive: false }));
    const response = await oneShot.request({ url: '/v1/me', headers: { ...bearer(serving.account.apiKey), 'x-padding': 'a'.repeat(64 * 1024) } });
    expect(response.statusCode).toBe(431);
  });

  it('stops inflating a compression bomb at the size limit, without the memory it unpacks to', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024 * 1024), { level: 9 });
    const before = residentMegabytes(serving.platform.child.pid!).current;
    const response = await serving.client.request({
      method: 'POST',
      url: '/v2/models/mlp/infer',
      headers: { ...bearer(serving.account.apiKey), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: bomb,
    });
    const grownMiB = residentMegabytes(serving.platform.child.pid!).current - before;
    expect(response.statusCode, response.body).toBe(413);
    expect(JSON.parse(response.body).error).toMatch(/inflates to more than 16777216 bytes/);
    expect(grownMiB).toBeLessThan(100);
    expect((await serving.inferOnce()).statusCode).toBe(200);
  });

  it('answers malformed bodies with 400 and keeps serving', async () => {
    const cases: Array<[string, Buffer | string]> = [
      ['application/json', '{"inputs": [{"name": "input", "shape": [1, 8], "datatype": "FP32", "data": [1, 2'],
      ['application/json', '\u0000\u0001\u0002'],
      ['application/json', '{"inputs": "everything"}'],
      ['application/octet-stream', Buffer.from([1, 2, 3])],
    ];
    for (const [contentType, payload] of cases) {
      const response = await serving.client.request({ method: 'POST', url: '/v2/models/mlp/infer', headers: { ...bearer(serving.account.apiKey), 'content-type': contentType }, payload });
      expect(response.statusCode, `${contentType} ${String(payload)}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect((await serving.inferOnce()).statusCode).toBe(200);
    expect(serving.platform.child.exitCode).toBeNull();
  });
});
