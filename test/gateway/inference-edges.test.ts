import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '@maas/config';
import { PrismaService } from '@maas/db';
import { ServedModels } from '../../apps/gateway/src/inference/served-models';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { constantOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { denseTfjsModel } from '../fixtures/tfjs-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { infer } from '../support/inference';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, multipartBody, uploadOnnx } from '../support/uploads';

describe('inference edges', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let stranger: SignedUpAccount;
  beforeAll(async () => {
    // A cache that holds one small model at a time.
    const oneModel = mlpOnnx([4, 8, 2]).byteLength;
    app = await startTestApp(PLATFORM_MODULES, { MAAS_MODEL_CACHE_BYTES: String(oneModel + oneModel / 2) });
    account = await signUp(app, 'Edges');
    stranger = await signUp(app, 'Stranger');
    for (const [name, seed] of [['small-a', 1], ['small-b', 2]] as const) {
      await createModel(app, account.apiKey, name);
      await uploadOnnx(app, account.apiKey, name, mlpOnnx([4, 8, 2], { seed }));
    }
  });
  afterAll(() => app.close());

  const request = (data: unknown = [[1, 2, 3, 4]], overrides: Record<string, unknown> = {}) => ({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data, ...overrides }] });

  it.each([
    ['a wrong input name', { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }, 'unexpected input "x": the model\'s inputs are "input"'],
    ['a wrong datatype', request([1, 2, 3, 4], { datatype: 'INT32' }), 'input "input" has datatype INT32, expected FP32'],
    ['a wrong dimension', { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] }, 'input "input" has shape [1,3], expected [-1,4]: dimension 1 is 3, expected 4'],
    ['too few elements', request([1, 2, 3]), 'input "input": shape [1,4] needs 4 elements, "data" has 3'],
    ['a ragged array', { inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 4], data: [[1, 2, 3, 4], [5]] }] }, 'ragged arrays are not allowed'],
    ['a non-number', request([1, 'two', 3, 4]), 'input "input": element 1 is "two", expected a finite number for FP32'],
    ['no inputs for a model that has one', { inputs: [] }, 'the model needs inputs: "input" (FP32, shape [-1,4])'],
    ['inputs that are not an array', { inputs: { input: [1, 2, 3, 4] } }, '"inputs" must be an array of tensors ([] only for a model without inputs)'],
    ['an unknown requested output', { ...request(), outputs: [{ name: 'logits' }] }, 'unknown output "logits": the model\'s outputs are "output"'],
    ['a body that is not an object', [1, 2, 3], 'the request body must be a JSON object with "inputs"'],
  ])('%s → 400 with a protocol error body, never 5xx', async (_what, body, message) => {
    const response = await infer(app, account.apiKey, 'small-a', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: expect.stringContaining(message) });
  });

  it('bad binary bodies → 400, unknown models and versions → 404, other tenants → 404, wrong scope → 403', async () => {
    const binary = await app.request({ method: 'POST', url: '/v2/models/small-a/infer', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'inference-header-content-length': '999' }, payload: Buffer.from('{"inputs":[]}') });
    expect(binary.statusCode).toBe(400);
    expect(binary.json().error).toContain('Inference-Header-Content-Length is 999');
    const notJson = await app.request({ method: 'POST', url: '/v2/models/small-a/infer', headers: { ...bearer(account.apiKey), 'content-type': 'application/json' }, payload: '{"inputs": [' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toMatch(/JSON/);
    // Prototype poisoning is refused, as Fastify's own JSON parser does.
    const poisoned = await app.request({ method: 'POST', url: '/v2/models/small-a/infer', headers: { ...bearer(account.apiKey), 'content-type': 'application/json' }, payload: '{"__proto__":{"admin":true},"inputs":[]}' });
    expect(poisoned.statusCode).toBe(400);
    expect((await infer(app, account.apiKey, 'ghost', request())).json()).toEqual({ error: 'Model "ghost" not found' });
    expect((await infer(app, account.apiKey, 'small-a', request(), '7')).statusCode).toBe(404);
    expect((await infer(app, account.apiKey, 'small-a', request(), 'canary')).json()).toEqual({ error: 'Model "small-a" has no version or alias "canary"' });
    expect((await infer(app, stranger.apiKey, 'small-a', request())).json()).toEqual({ error: 'Model "small-a" not found' });
    expect((await app.request({ url: '/v2/models/small-a', headers: bearer(stranger.apiKey) })).statusCode).toBe(404);
    const readOnly = (await app.request({ method: 'POST', url: '/v1/keys', headers: bearer(account.apiKey), payload: { name: 'ro', scopes: ['models:read'] } })).json().key;
    expect((await infer(app, readOnly, 'small-a', request())).statusCode).toBe(403);
    expect((await app.request({ url: '/v2/health/live' })).statusCode).toBe(200);
  });

  it('runs a model without inputs (a graph of constants) on "inputs": []', async () => {
    await createModel(app, account.apiKey, 'constants');
    await uploadOnnx(app, account.apiKey, 'constants', constantOnnx());
    const metadata = (await app.request({ url: '/v2/models/constants', headers: bearer(account.apiKey) })).json();
    expect(metadata.inputs).toEqual([]);
    const response = await infer(app, account.apiKey, 'constants', { inputs: [] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().outputs).toEqual([{ name: 'value', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }]);
  });

  it('asks for credentials before reading the body, in the protocol\'s error shape; a console session may infer too', async () => {
    const anonymous = await app.request({ method: 'POST', url: '/v2/models/small-a/infer', headers: { 'content-type': 'application/json' }, payload: request() });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: expect.stringContaining('Missing credentials') });
    const unknown = await infer(app, `mk_${'0'.repeat(16)}_${'x'.repeat(43)}`, 'small-a', request());
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({ error: 'API key is not recognised' });
    const session = await infer(app, account.sessionToken, 'small-a', request());
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json().outputs[0].shape).toEqual([1, 2]);
  });

  it('serves a model again after the worker thread holding it died', async () => {
    expect((await infer(app, account.apiKey, 'small-a', request())).statusCode).toBe(200);
    const version = (await app.app.get((await import('@maas/registry')).ModelRegistry).resolveVersion(account.tenantId, 'small-a')).version;
    const served = app.app.get(ServedModels);
    const loaded = await served.get(account.tenantId, 'small-a', version);
    await Promise.all(loaded.hosts.map((host) => host.worker.terminate()));
    expect(served.isLoaded(account.tenantId, version)).toBe(false);
    const again = await infer(app, account.apiKey, 'small-a', request());
    expect(again.statusCode, again.body).toBe(200);
    expect(served.isLoaded(account.tenantId, version)).toBe(true);
  });

  it('evicts the least recently used model when the cache budget is exceeded, and reloads it on demand', async () => {
    const served = app.app.get(ServedModels);
    expect((await infer(app, account.apiKey, 'small-a', request())).statusCode).toBe(200);
    const versionOf = async (name: string) => (await app.app.get((await import('@maas/registry')).ModelRegistry).resolveVersion(account.tenantId, name)).version;
    expect(served.isLoaded(account.tenantId, await versionOf('small-a'))).toBe(true);
    expect((await infer(app, account.apiKey, 'small-b', request())).statusCode).toBe(200);
    expect(served.isLoaded(account.tenantId, await versionOf('small-b'))).toBe(true);
    expect(served.isLoaded(account.tenantId, await versionOf('small-a'))).toBe(false);
    expect((await infer(app, account.apiKey, 'small-a', request())).statusCode).toBe(200);
  });

  it('unloads a deleted version at once', async () => {
    await createModel(app, account.apiKey, 'doomed');
    await uploadOnnx(app, account.apiKey, 'doomed', mlpOnnx([4, 2], { seed: 5 }));
    expect((await infer(app, account.apiKey, 'doomed', request())).statusCode).toBe(200);
    expect((await app.request({ method: 'DELETE', url: '/v1/models/doomed/versions/1', headers: bearer(account.apiKey) })).statusCode).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await infer(app, account.apiKey, 'doomed', request())).json()).toEqual({ error: 'Model "doomed" has no version yet' });
  });

  it('refuses to serve a model whose stored artifact was tampered with, and keeps serving the others', async () => {
    await createModel(app, account.apiKey, 'tampered');
    await uploadOnnx(app, account.apiKey, 'tampered', mlpOnnx([4, 2], { seed: 6 }));
    const prisma = app.app.get(PrismaService);
    const version = await prisma.modelVersion.findFirstOrThrow({ where: { model: { name: 'tampered' } } });
    await prisma.$executeRaw`UPDATE "ArtifactChunk" SET ciphertext = set_byte(ciphertext, 3, get_byte(ciphertext, 3) # 1) WHERE "artifactId" = ${version.artifactId}::uuid`;
    // The upload also left a sealed local copy, which would still serve the untouched bytes: tampered too.
    const localCopy = join(app.app.get(AppConfig).dataDir, 'artifact-cache', account.tenantId, `${version.artifactId}.chunks`);
    await expect.poll(() => existsSync(localCopy)).toBe(true);
    const copy = await readFile(localCopy);
    copy[40] ^= 1;
    await writeFile(localCopy, copy);
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await infer(app, account.apiKey, 'tampered', request());
      expect(refused.statusCode).toBe(500);
      expect(refused.json().error).toMatch(/^Internal error \(reference [0-9a-f-]{36}\)$/);
    }
    expect(app.logs.some((line) => line.includes('chunk 0 does not decrypt'))).toBe(true);
    expect((await infer(app, account.apiKey, 'small-a', request())).statusCode).toBe(200);
  });

  it('serves TensorFlow.js models, matching tfjs itself', async () => {
    const saved = await denseTfjsModel(4, 3);
    await createModel(app, account.apiKey, 'tfjs-served');
    const body = multipartBody([['model.json', saved.modelJson], ...saved.shards]);
    const upload = await app.request({ method: 'POST', url: '/v1/models/tfjs-served/versions', headers: { ...bearer(account.apiKey), 'content-type': body.contentType }, payload: body.body });
    expect(upload.statusCode, upload.body).toBe(201);
    const inputName = upload.json().signature.inputs[0].name;
    const response = await infer(app, account.apiKey, 'tfjs-served', { inputs: [{ name: inputName, datatype: 'FP32', shape: [2, 4], data: [[1, 2, 3, 4], [0, -1, 0.5, 2]] }] });
    expect(response.statusCode, response.body).toBe(200);
    const output = response.json().outputs[0];
    expect(output).toMatchObject({ datatype: 'FP32', shape: [2, 3] });
    const rows = [0, 1].map((row) => (output.data as number[]).slice(row * 3, row * 3 + 3));
    for (const row of rows) expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    expect(tf.getBackend()).toBeDefined();
  });
});

describe('per-version serving settings', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Settings');
    await createModel(app, account.apiKey, 'tunable');
    await uploadOnnx(app, account.apiKey, 'tunable', mlpOnnx([4, 8, 2]));
  });
  afterAll(() => app.close());

  it('a full queue answers 503, and settings changed through the registry apply at once', async () => {
    const request = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] };
    expect((await infer(app, account.apiKey, 'tunable', request)).statusCode).toBe(200);
    const patch = await app.request({ method: 'PATCH', url: '/v1/models/tunable/versions/1', headers: bearer(account.apiKey), payload: { metadata: { batching: { maxBatchSize: 0, maxQueueSize: 1 } } } });
    expect(patch.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const responses = await Promise.all(Array.from({ length: 40 }, () => infer(app, account.apiKey, 'tunable', request)));
    const statuses = new Set(responses.map((response) => response.statusCode));
    expect([...statuses].sort()).toEqual([200, 503]);
    const refused = responses.find((response) => response.statusCode === 503)!;
    expect(refused.json().error).toMatch(/^Model "tunable" is overloaded: 1 requests are already queued; retry later$/);
  });
});

describe('usage events', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app, 'Usage');
    await createModel(app, account.apiKey, 'metered');
    await uploadOnnx(app, account.apiKey, 'metered', mlpOnnx([4, 2]));
  });
  afterAll(() => app.close());

  it('meters every request, failed ones included, into the usage rollups', async () => {
    const { UsageFlusher } = await import('@maas/usage');
    await infer(app, account.apiKey, 'metered', { inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }] });
    await infer(app, account.apiKey, 'metered', { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] });
    await app.app.get(UsageFlusher).flush();
    const model = await app.app.get(PrismaService).model.findFirstOrThrow({ where: { tenantId: account.tenantId, name: 'metered' } });
    const rows = await app.app.get(PrismaService).usageRollup.findMany({ where: { tenantId: account.tenantId, modelId: model.id } });
    expect(rows).toHaveLength(1);
    // 2×4 FP32 in, 2×2 FP32 out; the refused request's 1×3 input counts as bytes in, its error as the caller's.
    expect(rows[0]).toMatchObject({ apiKeyId: account.apiKeyId, versionNumber: 1, requests: 2, errors: 1, clientErrors: 1, serverErrors: 0, items: 3n, bytesIn: 44n, bytesOut: 16n });
    expect(rows[0].latencyMsSum).toBeGreaterThan(0);
  });
});
