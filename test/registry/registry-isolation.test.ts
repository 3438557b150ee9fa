import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

describe('registry tenant isolation', () => {
  let app: TestApp;
  let owner: SignedUpAccount;
  let stranger: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    owner = await signUp(app, 'Owner');
    stranger = await signUp(app, 'Stranger');
    await createModel(app, owner.apiKey, 'secret-model');
    await uploadOnnx(app, owner.apiKey, 'secret-model', mlpOnnx([4, 2]));
    await app.request({ method: 'PUT', url: '/v1/models/secret-model/aliases/production', headers: bearer(owner.apiKey), payload: { version: 1 } });
  });
  afterAll(() => app.close());

  const routes: Array<{ method: string; url: string; payload?: unknown; headers?: Record<string, string> }> = [
    { method: 'GET', url: '/v1/models/secret-model' },
    { method: 'PATCH', url: '/v1/models/secret-model', payload: { description: 'mine now' } },
    { method: 'DELETE', url: '/v1/models/secret-model' },
    { method: 'GET', url: '/v1/models/secret-model/versions' },
    { method: 'POST', url: '/v1/models/secret-model/versions', payload: mlpOnnx([4, 2]), headers: { 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' } },
    { method: 'GET', url: '/v1/models/secret-model/versions/1' },
    { method: 'GET', url: '/v1/models/secret-model/versions/production' },
    { method: 'PATCH', url: '/v1/models/secret-model/versions/1', payload: { description: 'x' } },
    { method: 'DELETE', url: '/v1/models/secret-model/versions/1' },
    { method: 'GET', url: '/v1/models/secret-model/versions/1/artifact' },
    { method: 'GET', url: '/v1/models/secret-model/aliases' },
    { method: 'PUT', url: '/v1/models/secret-model/aliases/staging', payload: { version: 1 } },
    { method: 'DELETE', url: '/v1/models/secret-model/aliases/production' },
  ];

  it.each(routes)("$method $url of another tenant's model → 404 MODEL_NOT_FOUND", async ({ method, url, payload, headers }) => {
    const response = await app.request({ method, url, payload, headers: { ...bearer(stranger.apiKey), ...headers } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'MODEL_NOT_FOUND', message: 'Model "secret-model" not found' });
  });

  it('the owner still has everything, untouched', async () => {
    expect((await app.request({ url: '/v1/models/secret-model/versions/production', headers: bearer(owner.apiKey) })).json()).toMatchObject({ version: 1, aliases: ['production'] });
    expect((await app.request({ url: '/v1/models', headers: bearer(stranger.apiKey) })).json()).toMatchObject({ total: 0, items: [] });
    expect((await app.request({ url: '/v1/models/secret-model', headers: bearer(owner.apiKey) })).json().description).toBe('');
  });
});
