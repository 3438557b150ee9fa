import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { ModelChange, ModelEvents } from '@maas/registry';
import { PLATFORM_MODULES } from '../../apps/platform/src/platform.modules';
import { mlpOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, SignedUpAccount } from '../support/accounts';
import { startTestApp, TestApp } from '../support/test-app';
import { createModel, uploadOnnx } from '../support/uploads';

describe('registry storage and notifications', () => {
  let app: TestApp;
  let account: SignedUpAccount;
  beforeAll(async () => {
    app = await startTestApp(PLATFORM_MODULES);
    account = await signUp(app);
  });
  afterAll(() => app.close());

  it('no plaintext model bytes anywhere in the database', async () => {
    const marker = 'MODEL-PLAINTEXT-MARKER-41c9e2';
    await createModel(app, account.apiKey, 'marked');
    const model = mlpOnnx([8, 4], { docString: marker });
    expect(model.includes(Buffer.from(marker))).toBe(true);
    expect((await uploadOnnx(app, account.apiKey, 'marked', model)).statusCode).toBe(201);

    const prisma = app.app.get(PrismaService);
    const tables = await prisma.$queryRaw<Array<{ tablename: string }>>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
    expect(tables.map((table) => table.tablename)).toContain('ArtifactChunk');
    for (const { tablename } of tables) {
      const rows = await prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM "${tablename}" t`);
      const dump = rows.map((row) => row.row).join('\n');
      expect(dump, tablename).not.toContain(marker);
      expect(dump, tablename).not.toContain(Buffer.from(marker).toString('hex'));
    }
  });

  it('alias moves and deletions are announced to every process', async () => {
    await createModel(app, account.apiKey, 'announced');
    await uploadOnnx(app, account.apiKey, 'announced', mlpOnnx([4, 2]));
    const received: ModelChange[] = [];
    await app.app.get(ModelEvents).subscribe((change) => received.push(change));
    await app.request({ method: 'PUT', url: '/v1/models/announced/aliases/production', headers: bearer(account.apiKey), payload: { version: 1 } });
    await app.request({ method: 'DELETE', url: '/v1/models/announced/aliases/production', headers: bearer(account.apiKey) });
    await app.request({ method: 'DELETE', url: '/v1/models/announced/versions/1', headers: bearer(account.apiKey) });
    // The upload's own version_created notice may still be on its way when the subscription starts.
    const changes = () => received.map((change) => change.change).filter((change) => change !== 'version_created');
    for (let attempt = 0; attempt < 50 && changes().length < 3; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(changes()).toEqual(['alias_moved', 'alias_deleted', 'version_deleted']);
    expect(received.every((change) => change.tenantId === account.tenantId && change.model === 'announced')).toBe(true);
  });
});
