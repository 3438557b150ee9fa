import type { Type } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthAppModule } from '../../apps/auth/src/auth-app.module';
import { GatewayAppModule } from '../../apps/gateway/src/gateway-app.module';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { RegistryAppModule } from '../../apps/registry/src/registry-app.module';
import { TrainerAppModule } from '../../apps/trainer/src/trainer-app.module';
import { startTestApp, TestApp } from '../support/test-app';

const APPS: Record<string, Type[]> = {
  auth: [AuthAppModule],
  registry: [RegistryAppModule],
  gateway: [GatewayAppModule],
  trainer: [TrainerAppModule],
  platform: PLATFORM_MODULES,
};

describe.each(Object.entries(APPS))('the %s app', (_name, modules) => {
  let testApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  it('boots alone against the test database and reports ready', async () => {
    testApp = await startTestApp(modules);
    const live = await testApp.request({ url: '/health/live' });
    expect(live.statusCode).toBe(200);
    const ready = await testApp.request({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves its OpenAPI document at /docs', async () => {
    testApp = await startTestApp(modules);
    const document = await testApp.request({ url: '/docs/json' });
    expect(document.statusCode).toBe(200);
    expect(document.json().paths).toHaveProperty('/health/ready');
    expect((await testApp.request({ url: '/docs' })).statusCode).toBe(200);
  });
});

describe('service basics', () => {
  let testApp: TestApp;
  afterEach(() => testApp.close());

  it('answers unknown routes with the error envelope', async () => {
    testApp = await startTestApp(PLATFORM_MODULES);
    const response = await testApp.request({ url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Cannot GET /v1/nothing-here' } });
  });

  it('answers KServe routes with the protocol error body', async () => {
    testApp = await startTestApp(PLATFORM_MODULES);
    const response = await testApp.request({ url: '/v2/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Cannot GET /v2/nothing-here' });
  });
});
