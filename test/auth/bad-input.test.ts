import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, signUp, SignedUpAccount, STRONG_PASSWORD } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('bad input on identity endpoints', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app);
  });
  afterAll(() => app.close());

  it.each([
    [{ password: STRONG_PASSWORD, organization: 'x' }, 'email must be a valid email address'],
    [{ email: 'not-an-email', password: STRONG_PASSWORD, organization: 'x' }, 'email must be a valid email address'],
    [{ email: 'a@example.com', organization: 'x' }, 'password must be a string'],
    [{ email: 'a@example.com', password: STRONG_PASSWORD, organization: '' }, 'organization must not be empty'],
    [{ email: 'a@example.com', password: STRONG_PASSWORD, organization: 'x', plan: 'ENTERPRISE' }, 'property plan should not exist'],
    [{ email: 'a@example.com', password: 'short1', organization: 'x' }, 'password must be at least 10 characters long'],
    [{ email: 'a@example.com', password: 'onlyletterslong', organization: 'x' }, 'password must mix letters with digits or symbols'],
    [{ email: 'a@example.com', password: 'password123', organization: 'x' }, 'password is too common'],
    [{ email: 'adalovelace@example.com', password: 'adalovelace-99', organization: 'x' }, 'password must not contain your email address'],
  ])('signup %j → 400 naming the problem', async (payload, message) => {
    const response = await app.request({ method: 'POST', url: '/v1/auth/signup', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await app.request({ method: 'POST', url: '/v1/auth/signup', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
  });

  it('answers 409 for an email that already has an account, whatever its case', async () => {
    const response = await app.request({ method: 'POST', url: '/v1/auth/signup', payload: { email: ` ${account.email.toUpperCase()} `, password: STRONG_PASSWORD, organization: 'Dup' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({ code: 'CONFLICT', message: `An account with email ${account.email} already exists` });
  });

  it.each([
    [{ scopes: ['infer'] }, 'name must be a string'],
    [{ name: 'k' }, 'scopes must be an array'],
    [{ name: 'k', scopes: [] }, 'scopes must name at least one scope'],
    [{ name: 'k', scopes: ['root'] }, 'each scope must be one of models:read, models:write, infer, training, usage:read, keys:manage'],
    [{ name: 'k', scopes: ['infer'], expiresAt: 'tomorrow' }, 'expiresAt must be an ISO 8601 date-time'],
    [{ name: 'k', scopes: ['infer'], expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt must be in the future'],
  ])('key creation %j → 400 naming the field', async (payload, message) => {
    const response = await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(account.apiKey), payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
  });

  it.each([
    ['DELETE', '/v1/keys/not-a-uuid', undefined, 'id must be a UUID'],
    ['PATCH', '/v1/members/not-a-uuid', { role: 'ADMIN' }, 'id must be a UUID'],
    ['POST', '/v1/members', { email: 'x@example.com', role: 'OWNER' }, 'role must be one of ADMIN, MEMBER'],
    ['GET', '/v1/audit?limit=0', undefined, 'limit must not be less than 1'],
    ['GET', '/v1/audit?before=abc', undefined, 'before must be an event id'],
  ])('%s %s → 400', async (method, url, payload, message) => {
    const response = await app.request({ method, url, headers: bearer(account.apiKey), payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
  });

  it('login without fields → 400, wrong password → 401 without saying which part was wrong', async () => {
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: {} })).statusCode).toBe(400);
    const wrongPassword = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: account.email, password: 'nope-nope-1' } });
    const unknownEmail = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { email: 'nobody@example.com', password: 'nope-nope-1' } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.json()).toEqual(wrongPassword.json());
  });

  it('accept-invite with a malformed or unknown token', async () => {
    expect((await app.request({ method: 'POST', url: '/v1/auth/accept-invite', payload: { token: 'abc', password: STRONG_PASSWORD } })).json().error.message).toContain('token must be an invitation token');
    const unknown = await app.request({ method: 'POST', url: '/v1/auth/accept-invite', payload: { token: `mi_${'a'.repeat(43)}`, password: STRONG_PASSWORD } });
    expect(unknown.statusCode).toBe(401);
  });
});
