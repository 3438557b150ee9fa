import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, createKey, signUp, STRONG_PASSWORD } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

// One app per file: nestjs-pino keeps its first root logger for the whole process.
describe('secrets never reach the logs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES, { LOG_LEVEL: 'trace' });
  });
  afterAll(() => app.close());

  it('keys, passwords, session tokens and invitation tokens stay out of every log line', async () => {
    const account = await signUp(app);
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: account.email, password: STRONG_PASSWORD } });
    const session = login.json().session.token as string;
    const key = await createKey(app, session, ['infer']);
    await app.request({ url: '/v1/me', headers: { 'x-api-key': key.key } });
    await app.request({ url: '/v1/me', headers: bearer(`${key.key.slice(0, 20)}${'Z'.repeat(43)}`) });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: account.email, password: 'Wrong-Secret-99' } });
    const invite = await app.request({ method: 'POST', url: '/v1/members', headers: bearer(session), payload: { email: 'log-check@example.com', role: 'MEMBER' } });
    const inviteToken = invite.json().inviteToken as string;
    await app.request({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: bearer(account.apiKey) });

    const written = app.logs.join('\n');
    expect(app.logs.length).toBeGreaterThan(10);
    const secrets = [account.apiKey.slice(20), key.key.slice(20), STRONG_PASSWORD, 'Wrong-Secret-99', session, account.sessionToken, inviteToken.slice(3)];
    for (const secret of secrets) expect(written).not.toContain(secret);
  });
});
