import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastUsedTracker } from '@maas/identity';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, createKey, signUp, STRONG_PASSWORD } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('identity end to end', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
  });
  afterAll(() => app.close());

  it('sign-up → login → key with scopes → scoped call → revoke → 401', async () => {
    const account = await signUp(app, 'Analytical Engines');

    const me = await app.request({ url: '/v1/me', headers: bearer(account.apiKey) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      tenant: { id: account.tenantId, name: 'Analytical Engines', slug: 'analytical-engines', plan: 'FREE', limits: { requestsPerMinute: 1e9, concurrentTrainingJobs: 1 /* the free plan, with the request limits the test environment lifts (MAAS_PLAN_LIMITS) */ } },
      apiKey: { id: account.apiKeyId, name: 'First key' },
      scopes: ['models:read', 'models:write', 'infer', 'training', 'usage:read', 'keys:manage'],
    });

    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: account.email.toUpperCase(), password: STRONG_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const session = login.json().session.token as string;
    const meBySession = await app.request({ url: '/v1/me', headers: bearer(session) });
    expect(meBySession.json()).toMatchObject({ user: { id: account.userId, email: account.email, role: 'OWNER' }, apiKey: null });

    const manager = await createKey(app, session, ['keys:manage']);
    expect(manager.key).toMatch(/^mk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await app.request({ url: '/v1/keys', headers: { 'x-api-key': manager.key } });
    expect(listed.statusCode).toBe(200);
    const views = listed.json() as Array<Record<string, unknown>>;
    expect(views.find((view) => view.id === manager.id)).toMatchObject({ prefix: manager.key.slice(0, 19), scopes: ['keys:manage'], revokedAt: null });
    expect(JSON.stringify(views)).not.toContain(manager.key.slice(20));

    const revoke = await app.request({ method: 'DELETE', url: `/v1/keys/${manager.id}`, headers: bearer(account.apiKey) });
    expect(revoke.statusCode).toBe(204);
    const afterRevoke = await app.request({ url: '/v1/keys', headers: { 'x-api-key': manager.key } });
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'API key has been revoked' } });
    expect((await app.request({ method: 'DELETE', url: `/v1/keys/${manager.id}`, headers: bearer(account.apiKey) })).statusCode).toBe(204);
  });

  it('a key cannot mint a key with scopes it lacks, and a missing scope is named', async () => {
    const account = await signUp(app);
    const limited = await createKey(app, account.apiKey, ['keys:manage', 'models:read']);
    const escalate = await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(limited.key), payload: { name: 'x', scopes: ['models:read', 'training'] } });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().error.message).toBe('You cannot grant scopes you do not have: training');

    const reader = await createKey(app, account.apiKey, ['models:read']);
    const forbidden = await app.request({ url: '/v1/keys', headers: bearer(reader.key) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'This API key lacks the scope keys:manage that this request needs' } });
  });

  it('answers 401 saying which credential problem it is', async () => {
    const account = await signUp(app);
    const expiring = await createKey(app, account.apiKey, ['usage:read'], { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await app.request({ url: '/v1/me', headers: bearer(expiring.key) })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));

    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^Missing credentials/],
      [bearer('mk_short'), /^API key is malformed: expected mk_<16 hex characters>_<43 characters>$/],
      [bearer(`mk_0123456789abcdef_${'A'.repeat(43)}`), /^API key is not recognised$/],
      [bearer(`${account.apiKey.slice(0, 20)}${'B'.repeat(43)}`), /^API key is not recognised$/],
      [bearer(expiring.key), /^API key expired at \d{4}-\d{2}-\d{2}T/],
      [bearer('not.a.jwt'), /^Session token is invalid; log in again$/],
      [{ authorization: 'Basic abc' }, /^Missing credentials/],
    ];
    for (const [headers, message] of cases) {
      const response = await app.request({ url: '/v1/me', headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('logout ends console sessions', async () => {
    const account = await signUp(app);
    expect((await app.request({ method: 'POST', url: '/v1/auth/logout', headers: bearer(account.sessionToken) })).statusCode).toBe(204);
    const after = await app.request({ url: '/v1/me', headers: bearer(account.sessionToken) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toBe('Session has ended (logged out); log in again');
    const byKey = await app.request({ method: 'POST', url: '/v1/auth/logout', headers: bearer(account.apiKey) });
    expect(byKey.statusCode).toBe(400);
  });

  it('records lastUsedAt in batches, not on every request', async () => {
    const account = await signUp(app);
    const key = await createKey(app, account.apiKey, ['usage:read']);
    for (let i = 0; i < 3; i++) await app.request({ url: '/v1/me', headers: bearer(key.key) });
    const lastUsedOf = async () => ((await app.request({ url: '/v1/keys', headers: bearer(account.apiKey) })).json() as Array<{ id: string; lastUsedAt: string | null }>).find((view) => view.id === key.id)!.lastUsedAt;
    expect(await lastUsedOf()).toBeNull();
    await app.app.get(LastUsedTracker).flush();
    expect(Date.parse((await lastUsedOf())!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('audits sign-up, key creation and revocation, login failures, for owners only', async () => {
    const account = await signUp(app);
    const key = await createKey(app, account.apiKey, ['models:read']);
    await app.request({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: bearer(account.apiKey) });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: account.email, password: 'wrong-password-1' } });

    const audit = await app.request({ url: '/v1/audit?limit=10', headers: bearer(account.apiKey) });
    expect(audit.statusCode).toBe(200);
    const actions = (audit.json() as Array<{ action: string }>).map((event) => event.action);
    expect(actions).toEqual(['auth.login_failed', 'api_key.revoked', 'api_key.created', 'api_key.created', 'tenant.signed_up']);
    const paged = await app.request({ url: `/v1/audit?limit=2&before=${audit.json()[1].id}`, headers: bearer(account.apiKey) });
    expect((paged.json() as Array<{ action: string }>).map((event) => event.action)).toEqual(['api_key.created', 'api_key.created']);
  });
});
