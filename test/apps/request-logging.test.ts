import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Public } from '@maas/identity';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { startTestApp, TestApp } from '../support/test-app';

/** A route that fails unexpectedly: its error is logged with the request it failed. */
@Controller('v1/failing')
class FailingController {
  @Public()
  @Get()
  fail(): never {
    throw new Error('the route broke');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

// nestjs-pino keeps one root logger per process, so the captured log belongs to the first app a
// test file starts: this file starts exactly one.
describe('request logging', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp([...PLATFORM_MODULES, FailingModule]);
  });
  afterAll(() => testApp.close());

  const logLines = () => testApp.logs.map((line) => JSON.parse(line) as { req?: { id?: string; url?: string } });

  it('logs each request as JSON with its request id, and echoes the id', async () => {
    const response = await testApp.request({ url: '/v1/traced', headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(logLines().some((line) => line.req?.id === 'trace-123' && line.req.url === '/v1/traced')).toBe(true);
  });

  it('generates an id when the caller sends none or an unusable one', async () => {
    const generated = await testApp.request({ url: '/health/live' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await testApp.request({ url: '/health/live', headers: { 'x-request-id': 'bad id\u0000' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes credentials from request headers to the log: a request line carries no headers', async () => {
    const secret = 'mk_public_supersecretvalue';
    await testApp.request({ url: '/v1/secret', headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret, cookie: `s=${secret}` } });
    const written = testApp.logs.join('\n');
    expect(written).toContain('/v1/secret');
    expect(written).not.toContain('supersecretvalue');
    const line = logLines().find((candidate) => candidate.req?.url === '/v1/secret') as { req: Record<string, unknown>; res: { statusCode: number }; responseTime: number };
    expect(Object.keys(line.req).sort()).toEqual(['id', 'method', 'remoteAddress', 'url']);
    expect(line.res.statusCode).toBe(404);
    expect(line.responseTime).toBeGreaterThan(0);
  });

  it('never writes credentials to the log of an unexpected error either', async () => {
    const secret = 'mk_public_failingsecretvalue';
    const response = await testApp.request({ url: '/v1/failing', headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret, cookie: `s=${secret}` } });
    expect(response.statusCode).toBe(500);
    const line = testApp.logs.map((text) => JSON.parse(text) as { msg?: string; req?: Record<string, unknown>; err?: { message: string } }).find((candidate) => candidate.msg === 'unhandled error');
    expect(line?.err?.message).toBe('the route broke');
    expect(line?.req?.url).toBe('/v1/failing');
    expect(testApp.logs.join('\n')).not.toContain('failingsecretvalue');
  });
});
