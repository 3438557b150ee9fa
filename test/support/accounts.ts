import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Requester } from './http-client';

export const STRONG_PASSWORD = 'correct-horse-7-battery';

export interface SignedUpAccount {
  email: string;
  tenantId: string;
  userId: string;
  apiKey: string;
  apiKeyId: string;
  sessionToken: string;
}

/** Signs up a fresh tenant over HTTP, as a person would. */
export async function signUp(app: Requester, organization = 'Test Org'): Promise<SignedUpAccount> {
  const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
  const response = await app.request({ method: 'POST', url: '/v1/auth/signup', payload: { email, password: STRONG_PASSWORD, organization } });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json();
  return { email, tenantId: body.tenant.id, userId: body.user.id, apiKey: body.apiKey.key, apiKeyId: body.apiKey.id, sessionToken: body.session.token };
}

export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

/** Creates a key with the given scopes using `credential` (which needs keys:manage). */
export async function createKey(app: Requester, credential: string, scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const response = await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(credential), payload: { name: 'test key', scopes, ...extra } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
