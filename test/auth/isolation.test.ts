import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, createKey, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('tenant isolation on every identity endpoint', () => {
  let app: TestApp;
  let alpha: SignedUpAccount;
  let beta: SignedUpAccount;
  let alphaKeyId: string;
  let alphaMemberId: string;

  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    alpha = await signUp(app, 'Alpha');
    beta = await signUp(app, 'Beta');
    alphaKeyId = (await createKey(app, alpha.apiKey, ['infer'])).id;
    alphaMemberId = (await app.request({ method: 'POST', url: '/v1/members', headers: bearer(alpha.apiKey), payload: { email: 'alpha-member@example.com', role: 'MEMBER' } })).json().member.id;
  });
  afterAll(() => app.close());

  it("answers 404 for another tenant's key and member, exactly as for ones that never existed", async () => {
    const attempts = [
      { method: 'DELETE', url: `/v1/keys/${alphaKeyId}` },
      { method: 'PATCH', url: `/v1/members/${alphaMemberId}`, payload: { role: 'ADMIN' } },
      { method: 'DELETE', url: `/v1/members/${alphaMemberId}` },
    ];
    for (const attempt of attempts) {
      const response = await app.request({ ...attempt, headers: bearer(beta.apiKey) });
      expect(response.statusCode, attempt.url).toBe(404);
      const nonexistent = await app.request({ ...attempt, url: attempt.url.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000'), headers: bearer(beta.apiKey) });
      expect(nonexistent.statusCode).toBe(404);
      expect(response.json().error.message.replace(/[0-9a-f-]{36}/, 'ID')).toBe(nonexistent.json().error.message.replace(/[0-9a-f-]{36}/, 'ID'));
    }
    const alphaKeys = (await app.request({ url: '/v1/keys', headers: bearer(alpha.apiKey) })).json() as Array<{ id: string; revokedAt: string | null }>;
    expect(alphaKeys.find((key) => key.id === alphaKeyId)?.revokedAt).toBeNull();
    const alphaMembers = (await app.request({ url: '/v1/members', headers: bearer(alpha.apiKey) })).json() as Array<{ id: string; role: string }>;
    expect(alphaMembers.find((member) => member.id === alphaMemberId)?.role).toBe('MEMBER');
  });

  it('lists only the caller’s own keys, members and audit events', async () => {
    const betaKeys = (await app.request({ url: '/v1/keys', headers: bearer(beta.apiKey) })).json() as Array<{ id: string }>;
    expect(betaKeys.map((key) => key.id)).toEqual([beta.apiKeyId]);
    const betaMembers = (await app.request({ url: '/v1/members', headers: bearer(beta.apiKey) })).json() as Array<{ email: string }>;
    expect(betaMembers.map((member) => member.email)).toEqual([beta.email]);
    const betaAudit = (await app.request({ url: '/v1/audit', headers: bearer(beta.apiKey) })).json() as Array<{ tenantId: string }>;
    expect(betaAudit.length).toBeGreaterThan(0);
    expect(betaAudit.every((event) => event.tenantId === beta.tenantId)).toBe(true);
    const betaMe = (await app.request({ url: '/v1/me', headers: bearer(beta.apiKey) })).json();
    expect(betaMe.tenant.id).toBe(beta.tenantId);
  });

  it("a session of one tenant cannot be replayed against another tenant's resources", async () => {
    const response = await app.request({ method: 'DELETE', url: `/v1/keys/${alphaKeyId}`, headers: bearer(beta.sessionToken) });
    expect(response.statusCode).toBe(404);
  });
});
