import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { signUp, SignedUpAccount, STRONG_PASSWORD } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('login throttling', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES, { MAAS_LOGIN_ATTEMPTS_PER_EMAIL: '3', MAAS_LOGIN_ATTEMPTS_PER_IP: '6' });
    account = await signUp(app);
  });
  afterAll(() => app.close());

  const login = (email: string, password: string, ip = '203.0.113.1') =>
    app.request({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, headers: { 'x-forwarded-for': ip } });

  it('throttles one email after its limit, even with the right password, answering 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await login(account.email, 'wrong-password-1', `198.51.100.${i}`)).statusCode).toBe(401);
    const blocked = await login(account.email, STRONG_PASSWORD, '198.51.100.99');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many login attempts; retry in \d+ seconds$/) });
  });

  it('throttles one address across emails', async () => {
    for (let i = 0; i < 6; i++) await login(`spray-${i}@example.com`, 'wrong-password-1', '192.0.2.7');
    const blocked = await login('spray-last@example.com', 'wrong-password-1', '192.0.2.7');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await login('spray-last@example.com', 'wrong-password-1', '192.0.2.8')).statusCode).toBe(401);
  });
});
