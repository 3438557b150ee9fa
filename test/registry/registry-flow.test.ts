import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { denseTfjsModel, tarOf, zipOf } from '../fixtures/tfjs-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, multipartBody, uploadOnnx } from '../support/uploads';

describe('model registry end to end', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Registry Co');
    prisma = app.app.get(PrismaService);
  });
  afterAll(() => app.close());

  const get = (url: string) => app.request({ url, headers: bearer(account.apiKey) });

  it('creates, lists with search and paging, reads and updates models; names are unique per tenant', async () => {
    const created = await createModel(app, account.apiKey, 'fraud-detector', { description: 'Card fraud', task: 'classification', tags: { team: 'risk' } });
    expect(created).toMatchObject({ name: 'fraud-detector', description: 'Card fraud', task: 'classification', tags: { team: 'risk' } });
    await createModel(app, account.apiKey, 'churn');
    await createModel(app, account.apiKey, 'embedder');

    const duplicate = await app.request({ method: 'POST', url: '/v1/models', headers: bearer(account.apiKey), payload: { name: 'churn' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toEqual({ code: 'MODEL_EXISTS', message: 'A model named "churn" already exists' });

    expect((await get('/v1/models?search=FRAUD')).json()).toMatchObject({ total: 1, items: [{ name: 'fraud-detector' }] });
    const page = (await get('/v1/models?limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((model: { name: string }) => model.name)).toEqual(['embedder', 'fraud-detector']);

    const updated = await app.request({ method: 'PATCH', url: '/v1/models/churn', headers: bearer(account.apiKey), payload: { description: 'Who leaves' } });
    expect(updated.json()).toMatchObject({ name: 'churn', description: 'Who leaves' });
    expect((await get('/v1/models/nope')).json().error.code).toBe('MODEL_NOT_FOUND');
  });

  it('uploads ONNX versions numbered 1, 2…, reads the signature, de-duplicates identical bytes, streams the artifact back with its SHA-256 as ETag', async () => {
    await createModel(app, account.apiKey, 'mlp');
    const bytes = mlpOnnx([8, 16, 3]);
    const first = await uploadOnnx(app, account.apiKey, 'mlp', bytes);
    expect(first.statusCode, first.body).toBe(201);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(first.json()).toMatchObject({
      model: 'mlp',
      version: 1,
      runtime: 'onnx',
      status: 'ready',
      sizeBytes: bytes.length,
      sha256,
      source: 'upload',
      signature: { inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 8] }], outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 3] }] },
      metadata: { format: 'onnx', runtime: { provider: 'cpu' } },
    });

    const second = await uploadOnnx(app, account.apiKey, 'mlp', bytes);
    expect(second.json()).toMatchObject({ version: 2, sha256 });
    const versions = await prisma.modelVersion.findMany({ where: { tenantId: account.tenantId, model: { name: 'mlp' } } });
    expect(new Set(versions.map((version) => version.artifactId)).size).toBe(1);

    const download = await get('/v1/models/mlp/versions/1/artifact');
    expect(download.statusCode).toBe(200);
    expect(download.headers.etag).toBe(`"${sha256}"`);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    const notModified = await app.request({ url: '/v1/models/mlp/versions/2/artifact', headers: { ...bearer(account.apiKey), 'if-none-match': `"${sha256}"` } });
    expect(notModified.statusCode).toBe(304);

    expect((await get('/v1/models/mlp/versions')).json().map((version: { version: number }) => version.version)).toEqual([2, 1]);
  });

  it('uploads TensorFlow.js models as multipart files, as a .zip part, and as raw .zip and .tar bodies', async () => {
    await createModel(app, account.apiKey, 'tfjs-dense');
    const saved = await denseTfjsModel(4, 3);
    const multipart = multipartBody([['model.json', saved.modelJson], ...saved.shards]);
    const asFiles = await app.request({ method: 'POST', url: '/v1/models/tfjs-dense/versions', headers: { ...bearer(account.apiKey), 'content-type': multipart.contentType }, payload: multipart.body });
    expect(asFiles.statusCode, asFiles.body).toBe(201);
    expect(asFiles.json()).toMatchObject({ version: 1, runtime: 'tfjs', signature: { inputs: [{ datatype: 'FP32', shape: [-1, 4] }], outputs: [{ datatype: 'FP32', shape: [-1, 3] }] } });

    const zipped = multipartBody([['model.zip', zipOf(saved)]], { format: 'tfjs', description: 'zipped' });
    const asZipPart = await app.request({ method: 'POST', url: '/v1/models/tfjs-dense/versions', headers: { ...bearer(account.apiKey), 'content-type': zipped.contentType }, payload: zipped.body });
    expect(asZipPart.json()).toMatchObject({ version: 2, runtime: 'tfjs', description: 'zipped', sha256: asFiles.json().sha256 });

    const rawZip = await app.request({ method: 'POST', url: '/v1/models/tfjs-dense/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/zip' }, payload: zipOf(saved) });
    expect(rawZip.json()).toMatchObject({ version: 3, runtime: 'tfjs' });

    const rawTar = await app.request({ method: 'POST', url: '/v1/models/tfjs-dense/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/x-tar' }, payload: await tarOf(saved) });
    expect(rawTar.statusCode, rawTar.body).toBe(201);
    expect(rawTar.json()).toMatchObject({ version: 4, runtime: 'tfjs', sha256: asFiles.json().sha256 });
  });

  it('aliases: set, move atomically, resolve, and protect their version from deletion', async () => {
    await createModel(app, account.apiKey, 'aliased');
    for (const seed of [1, 2]) expect((await uploadOnnx(app, account.apiKey, 'aliased', mlpOnnx([4, 2], { seed }))).statusCode).toBe(201);
    const put = (alias: string, version: number) => app.request({ method: 'PUT', url: `/v1/models/aliased/aliases/${alias}`, headers: bearer(account.apiKey), payload: { version } });

    expect((await put('production', 1)).json()).toMatchObject({ alias: 'production', version: 1 });
    expect((await get('/v1/models/aliased/versions/production')).json()).toMatchObject({ version: 1, aliases: ['production'] });
    expect((await put('production', 2)).json()).toMatchObject({ version: 2 });
    expect((await get('/v1/models/aliased/versions/production')).json().version).toBe(2);
    await put('staging', 2);
    expect((await get('/v1/models/aliased/aliases')).json()).toEqual([expect.objectContaining({ alias: 'production', version: 2 }), expect.objectContaining({ alias: 'staging', version: 2 })]);

    const refused = await app.request({ method: 'DELETE', url: '/v1/models/aliased/versions/2', headers: bearer(account.apiKey) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('Version 2 of "aliased" is still the target of alias "production", "staging"; move or delete the alias first');

    expect((await app.request({ method: 'DELETE', url: '/v1/models/aliased/versions/1', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    expect((await get('/v1/models/aliased/versions/1')).statusCode).toBe(404);
    expect((await app.request({ method: 'DELETE', url: '/v1/models/aliased/aliases/staging', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    expect((await app.request({ method: 'DELETE', url: '/v1/models/aliased/aliases/staging', headers: bearer(account.apiKey) })).statusCode).toBe(404);
    expect((await put('Bad Alias', 2)).statusCode).toBe(400);
    expect((await put('canary', 9)).json().error.code).toBe('VERSION_NOT_FOUND');
  });

  it('version metadata and description may change; the artifact and signature may not', async () => {
    const patched = await app.request({ method: 'PATCH', url: '/v1/models/mlp/versions/1', headers: bearer(account.apiKey), payload: { description: 'baseline', metadata: { maxBatchSize: 16 } } });
    expect(patched.json()).toMatchObject({ description: 'baseline', metadata: { format: 'onnx', maxBatchSize: 16 } });
    const sneaky = await app.request({ method: 'PATCH', url: '/v1/models/mlp/versions/1', headers: bearer(account.apiKey), payload: { sha256: 'x' } });
    expect(sneaky.statusCode).toBe(400);
  });

  it('deleting a model removes its aliases, versions and artifacts', async () => {
    const model = await prisma.model.findFirstOrThrow({ where: { tenantId: account.tenantId, name: 'aliased' } });
    const artifactIds = (await prisma.modelVersion.findMany({ where: { modelId: model.id } })).map((version) => version.artifactId!);
    expect((await app.request({ method: 'DELETE', url: '/v1/models/aliased', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    expect(await prisma.modelVersion.count({ where: { modelId: model.id } })).toBe(0);
    expect(await prisma.artifact.count({ where: { id: { in: artifactIds } } })).toBe(0);
    expect(await prisma.artifactChunk.count({ where: { artifactId: { in: artifactIds } } })).toBe(0);
    const actions = ((await get('/v1/audit?limit=100')).json() as Array<{ action: string }>).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['model.created', 'model_version.created', 'model_alias.set', 'model_alias.deleted', 'model_version.deleted', 'model.deleted']));
  });

  it('needs models:read to read and models:write to change', async () => {
    const reader = (await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(account.apiKey), payload: { name: 'reader', scopes: ['models:read'] } })).json().key;
    expect((await app.request({ url: '/v1/models', headers: bearer(reader) })).statusCode).toBe(200);
    const write = await app.request({ method: 'POST', url: '/v1/models', headers: bearer(reader), payload: { name: 'x' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.message).toContain('models:write');
    const inferOnly = (await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(account.apiKey), payload: { name: 'infer', scopes: ['infer'] } })).json().key;
    expect((await app.request({ url: '/v1/models/mlp/versions/1/artifact', headers: bearer(inferOnly) })).statusCode).toBe(403);
  });
});
