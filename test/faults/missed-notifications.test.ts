import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { bearer, createKey, signUp, type SignedUpAccount } from '../support/accounts';
import { waitUntil } from '../support/fault-platform';
import { infer } from '../support/inference';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

const BODY = { inputs: [{ name: 'input', shape: [1, 8], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6, 7, 8] }] };

/**
 * A NOTIFY sent while a process's listening connection is down never reaches it (PostgreSQL does not
 * queue them). The "listening" instance reaches the database through a proxy the test cuts; the other
 * instance revokes a key and moves an alias meanwhile. After the link returns, the listening instance
 * must re-read what it cached.
 */
describe('changes made while a process was cut off from the database', () => {
  let proxy: TcpProxy;
  let changer: TestApp;
  let listening: TestApp;
  let account: SignedUpAccount;

  beforeAll(async () => {
    const databaseUrl = inject('databaseUrl');
    const { hostname, port } = new URL(databaseUrl);
    proxy = await TcpProxy.start(hostname, Number(port));
    // A 10-minute key cache: only the re-read after the reconnect can make the key fail in time.
    changer = await startTestApp(PLATFORM_MODULES);
    listening = await startTestApp(PLATFORM_MODULES, { DATABASE_URL: proxy.rewrite(databaseUrl), MAAS_API_KEY_CACHE_MS: '600000' });
    account = await signUp(changer);
    await createModel(changer, account.apiKey, 'mlp');
    for (const seed of [1, 2]) expect((await uploadOnnx(changer, account.apiKey, 'mlp', mlpOnnx([8, 16, 3], { seed }))).statusCode).toBe(201);
    await changer.request({ method: 'PUT', url: '/v1/models/mlp/aliases/production', headers: bearer(account.apiKey), payload: { version: 1 } });
  });

  afterAll(async () => {
    await listening?.close();
    await changer?.close();
    await proxy?.close();
  });

  it('refuses a key revoked meanwhile within 1 s of reconnecting, follows a moved alias, forgets a deleted version', async () => {
    const key = await createKey(changer, account.apiKey, ['infer']);
    const before = await infer(listening, key.key, 'mlp', BODY);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().model_version).toBe('1');
    expect((await infer(listening, account.apiKey, 'mlp', BODY, '1')).statusCode).toBe(200);

    proxy.cut();
    expect((await changer.request({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: bearer(account.apiKey) })).statusCode).toBe(204);
    const moved = await changer.request({ method: 'PUT', url: '/v1/models/mlp/aliases/production', headers: bearer(account.apiKey), payload: { version: 2 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await changer.request({ method: 'DELETE', url: '/v1/models/mlp/versions/1', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    // Cut off, the listening instance cannot know yet: its cached key and version keep serving.
    const duringCut = await infer(listening, key.key, 'mlp', BODY);
    expect(duringCut.statusCode, duringCut.body).toBe(200);
    expect(duringCut.json().model_version).toBe('1');

    proxy.restore();
    const revokedAfterMs = await waitUntil(async () => (await infer(listening, key.key, 'mlp', BODY)).statusCode === 401, 5_000, 20);
    const movedAfterMs = await waitUntil(async () => (await infer(listening, account.apiKey, 'mlp', BODY)).json().model_version === '2', 5_000, 20);
    const deletedAfterMs = await waitUntil(async () => (await infer(listening, account.apiKey, 'mlp', BODY, '1')).statusCode === 404, 5_000, 20);
    process.stdout.write(`after the link returned: key refused in ${Math.round(revokedAfterMs)} ms, alias followed in ${Math.round(movedAfterMs)} ms, deleted version gone in ${Math.round(deletedAfterMs)} ms (reconnect retried every 1 s)\n`);
    // The listener retries once a second: reconnect ≤ 1 s after the link returns, then ≤ 1 s to re-read.
    expect(revokedAfterMs).toBeLessThan(2_000);
    expect(movedAfterMs).toBeLessThan(2_000);
    expect(deletedAfterMs).toBeLessThan(2_000);
    expect((await infer(listening, key.key, 'mlp', BODY)).json().error).toBe('API key has been revoked');
  });
});
