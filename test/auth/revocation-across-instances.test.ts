import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { bearer, createKey, signUp } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';

describe('revocation reaches every process', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // A long cache: only the notification can make the second instance forget the key in time.
    first = await startTestApp(PLATFORM_MODULES, { MAAS_API_KEY_CACHE_MS: '600000' });
    second = await startTestApp(PLATFORM_MODULES, { MAAS_API_KEY_CACHE_MS: '600000' });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('a key revoked on one instance is refused by another within one second', async () => {
    const account = await signUp(first);
    const key = await createKey(first, account.apiKey, ['usage:read']);
    expect((await second.request({ url: '/v1/me', headers: bearer(key.key) })).statusCode).toBe(200);

    const revokedAt = Date.now();
    expect((await first.request({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: bearer(account.apiKey) })).statusCode).toBe(204);
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 1000) {
      status = (await second.request({ url: '/v1/me', headers: bearer(key.key) })).statusCode;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect((await second.request({ url: '/v1/me', headers: bearer(key.key) })).json().error.message).toBe('API key has been revoked');
  });
});
