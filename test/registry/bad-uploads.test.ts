import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { denseTfjsModel } from '../fixtures/tfjs-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, multipartBody, uploadOnnx } from '../support/uploads';

const LIMIT = 64 * 1024;

describe('bad uploads leave nothing behind', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES, { MAAS_MAX_UPLOAD_BYTES: String(LIMIT) });
    account = await signUp(app);
    prisma = app.app.get(PrismaService);
    await createModel(app, account.apiKey, 'target');
  });
  afterAll(() => app.close());

  const leftovers = async () => ({
    versions: await prisma.modelVersion.count({ where: { tenantId: account.tenantId } }),
    artifacts: await prisma.artifact.count({ where: { tenantId: account.tenantId } }),
    chunks: await prisma.artifactChunk.count({ where: { artifact: { tenantId: account.tenantId } } }),
  });
  const nothing = { versions: 0, artifacts: 0, chunks: 0 };

  it.each([
    ['bytes that are not ONNX', () => uploadOnnx(app, account.apiKey, 'target', Buffer.from('{"not": "a model, just json text here"}')), 400, 'INVALID_MODEL', 'the upload is not an ONNX model'],
    ['a truncated ONNX model', () => uploadOnnx(app, account.apiKey, 'target', mlpOnnx([16, 8]).subarray(0, 300)), 400, 'INVALID_MODEL', 'ONNX Runtime could not load the model'],
    ['a body over MAAS_MAX_UPLOAD_BYTES', () => uploadOnnx(app, account.apiKey, 'target', mlpOnnx([128, 256])), 413, 'ARTIFACT_TOO_LARGE', `exceeds the limit of ${LIMIT} bytes`],
    ['a raw upload without X-Model-Format', () => app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream' }, payload: mlpOnnx([4, 2]) }), 400, 'BAD_REQUEST', 'a raw upload needs the x-model-format header: onnx or tfjs'],
    ['an unknown format', () => app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'x-model-format': 'pickle' }, payload: mlpOnnx([4, 2]) }), 400, 'BAD_REQUEST', 'model format must be onnx or tfjs, got "pickle"'],
    ['an unsupported Content-Type', () => app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': 'text/plain' }, payload: 'hello' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type "text/plain" is not accepted here: send application/json (model uploads also take application/octet-stream'],
    ['a TF.js upload missing a weight shard', async () => {
      const saved = await denseTfjsModel();
      const body = multipartBody([['model.json', saved.modelJson], [...saved.shards][0]]);
      return app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': body.contentType }, payload: body.body });
    }, 400, 'INVALID_MODEL', 'weight file "group1-shard2of2.bin" listed in model.json was not uploaded'],
    ['a raw .zip that is not an archive', () => app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/zip' }, payload: Buffer.from('not a zip at all') }), 400, 'BAD_REQUEST', 'a TensorFlow.js upload must be multipart files, a .zip or a .tar archive'],
    ['an empty multipart upload', () => {
      const body = multipartBody([], { format: 'onnx' });
      return app.request({ method: 'POST', url: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': body.contentType }, payload: body.body });
    }, 400, 'BAD_REQUEST', 'the multipart upload has no file'],
    ['a model that does not exist', () => uploadOnnx(app, account.apiKey, 'ghost', mlpOnnx([4, 2])), 404, 'MODEL_NOT_FOUND', 'Model "ghost" not found'],
  ])('%s → %d %s', async (_what, send, status, code, message) => {
    const response = await send();
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(response.json().error.message).toContain(message);
    expect(await leftovers()).toEqual(nothing);
  });

  it('a client that disconnects mid-upload leaves no version, artifact or chunk', async () => {
    const server = await app.app.listen({ port: 0, host: '127.0.0.1' }).then(() => app.app.getHttpServer().address() as { port: number });
    const model = mlpOnnx([64, 200]);
    const sent = await new Promise<number>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/v1/models/target/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'x-model-format': 'onnx', 'content-length': String(model.length) } });
      request.on('error', () => undefined);
      request.write(model.subarray(0, 20_000), () => setTimeout(() => {
        request.destroy();
        resolve(20_000);
      }, 200));
    });
    expect(sent).toBeLessThan(model.length);
    for (let attempt = 0; attempt < 50 && (await leftovers()).artifacts > 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await leftovers()).toEqual(nothing);
    expect((await app.request({ url: '/health/live' })).statusCode).toBe(200);
  });
});
