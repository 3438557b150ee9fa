import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@maas/db';
import { startTestModule } from '../../../../test/support/test-module';
import { StorageModule } from '../storage.module';
import { ArtifactStore, CHUNK_BYTES } from './artifact-store';

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

describe('ArtifactStore local copies', () => {
  let dataDir: string;
  let moduleRef: TestingModule;
  let store: ArtifactStore;
  let prisma: PrismaService;
  let tenantId: string;

  const copyPath = (artifactId: string) => join(dataDir, 'artifact-cache', tenantId, `${artifactId}.chunks`);
  const copyAppears = (artifactId: string) => expect.poll(() => existsSync(copyPath(artifactId))).toBe(true);
  /** Without its chunks in PostgreSQL, only the local copy can still give the artifact. */
  const dropStoredChunks = (artifactId: string) => prisma.artifactChunk.deleteMany({ where: { artifactId } });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maas-local-copies-'));
    moduleRef = await startTestModule([StorageModule], { MAAS_DATA_DIR: dataDir });
    store = moduleRef.get(ArtifactStore);
    prisma = moduleRef.get(PrismaService);
    tenantId = (await prisma.tenant.create({ data: { name: 'Copies', slug: `copies-${randomBytes(4).toString('hex')}` } })).id;
  });
  afterAll(async () => {
    await moduleRef.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a whole read leaves a sealed copy that later reads use instead of PostgreSQL', async () => {
    const marker = Buffer.from('PLAINTEXT-MARKER-51c2');
    const data = Buffer.concat([randomBytes(CHUNK_BYTES), marker, randomBytes(CHUNK_BYTES)]);
    const artifact = await store.write(tenantId, once(data), { maxBytes: 10 * CHUNK_BYTES });
    expect(existsSync(copyPath(artifact.id))).toBe(false);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
    await copyAppears(artifact.id);
    expect((await readFile(copyPath(artifact.id))).includes(marker)).toBe(false);
    await dropStoredChunks(artifact.id);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
  });

  it('an upload marked for local caching leaves its copy as it is stored', async () => {
    const data = randomBytes(CHUNK_BYTES + 7);
    const artifact = await store.write(tenantId, once(data), { maxBytes: 10 * CHUNK_BYTES, cacheLocally: true });
    await copyAppears(artifact.id);
    await dropStoredChunks(artifact.id);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
  });

  it('drops a damaged, cut short or foreign copy and finishes the read from PostgreSQL', async () => {
    const data = randomBytes(CHUNK_BYTES * 3);
    const artifact = await store.write(tenantId, once(data), { maxBytes: 10 * CHUNK_BYTES, cacheLocally: true });
    const other = await store.write(tenantId, once(randomBytes(CHUNK_BYTES * 3)), { maxBytes: 10 * CHUNK_BYTES, cacheLocally: true });
    await copyAppears(artifact.id);
    await copyAppears(other.id);
    const sealed = await readFile(copyPath(artifact.id));

    const damaged = Buffer.from(sealed);
    damaged[CHUNK_BYTES + 5_000] ^= 1;
    await writeFile(copyPath(artifact.id), damaged);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
    expect(existsSync(copyPath(artifact.id))).toBe(false);

    // A read from the first chunk leaves a copy again; cut short, it still gives every byte.
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
    await copyAppears(artifact.id);
    await truncate(copyPath(artifact.id), sealed.byteLength - 1_000);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);

    // Another artifact's copy in its place: each chunk's associated data names its artifact.
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
    await copyAppears(artifact.id);
    await writeFile(copyPath(artifact.id), await readFile(copyPath(other.id)));
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
  });

  it('deleting an artifact removes its copy; a process that starts later removes copies of artifacts deleted elsewhere', async () => {
    const deletedHere = await store.write(tenantId, once(randomBytes(100)), { maxBytes: CHUNK_BYTES, cacheLocally: true });
    await copyAppears(deletedHere.id);
    await store.delete(tenantId, deletedHere.id);
    expect(existsSync(copyPath(deletedHere.id))).toBe(false);

    const deletedElsewhere = await store.write(tenantId, once(randomBytes(100)), { maxBytes: CHUNK_BYTES, cacheLocally: true });
    const kept = await store.write(tenantId, once(randomBytes(100)), { maxBytes: CHUNK_BYTES, cacheLocally: true });
    await copyAppears(deletedElsewhere.id);
    await copyAppears(kept.id);
    await prisma.artifact.delete({ where: { id: deletedElsewhere.id } });
    const later = await startTestModule([StorageModule], { MAAS_DATA_DIR: dataDir });
    await later.close();
    expect(existsSync(copyPath(deletedElsewhere.id))).toBe(false);
    expect(existsSync(copyPath(kept.id))).toBe(true);
  });

  it('keeps copies within MAAS_ARTIFACT_CACHE_BYTES, evicting the least recently used', async () => {
    const budgetDir = await mkdtemp(join(tmpdir(), 'maas-copy-budget-'));
    const budgeted = await startTestModule([StorageModule], { MAAS_DATA_DIR: budgetDir, MAAS_ARTIFACT_CACHE_BYTES: String(Math.round(2.5 * CHUNK_BYTES)) });
    const copies = (): Promise<string[]> => readdir(join(budgetDir, 'artifact-cache', tenantId)).catch(() => []);
    try {
      const budgetedStore = budgeted.get(ArtifactStore);
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) {
        const artifact = await budgetedStore.write(tenantId, once(randomBytes(CHUNK_BYTES - 100)), { maxBytes: CHUNK_BYTES, cacheLocally: true });
        ids.push(artifact.id);
        await expect.poll(async () => (await copies()).includes(`${artifact.id}.chunks`)).toBe(true);
        if (index === 1) await budgetedStore.readAll(tenantId, ids[0]);
      }
      // The first was read after the second was written, so the second is the one evicted.
      expect((await copies()).sort()).toEqual([`${ids[0]}.chunks`, `${ids[2]}.chunks`].sort());
    } finally {
      await budgeted.close();
      await rm(budgetDir, { recursive: true, force: true });
    }
  });

  it('keeps no copies when MAAS_ARTIFACT_CACHE_BYTES is 0', async () => {
    const offDir = await mkdtemp(join(tmpdir(), 'maas-copy-off-'));
    const off = await startTestModule([StorageModule], { MAAS_DATA_DIR: offDir, MAAS_ARTIFACT_CACHE_BYTES: '0' });
    try {
      const offStore = off.get(ArtifactStore);
      const data = randomBytes(CHUNK_BYTES + 1);
      const artifact = await offStore.write(tenantId, once(data), { maxBytes: 10 * CHUNK_BYTES, cacheLocally: true });
      expect((await offStore.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(existsSync(join(offDir, 'artifact-cache'))).toBe(false);
    } finally {
      await off.close();
      await rm(offDir, { recursive: true, force: true });
    }
  });

  it('starts and reads from PostgreSQL when the copies directory cannot be used', async () => {
    const brokenDir = await mkdtemp(join(tmpdir(), 'maas-copy-broken-'));
    await writeFile(join(brokenDir, 'artifact-cache'), 'a file where the directory should be');
    const broken = await startTestModule([StorageModule], { MAAS_DATA_DIR: brokenDir });
    try {
      const brokenStore = broken.get(ArtifactStore);
      const data = randomBytes(CHUNK_BYTES + 3);
      const artifact = await brokenStore.write(tenantId, once(data), { maxBytes: 10 * CHUNK_BYTES, cacheLocally: true });
      expect((await brokenStore.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
      expect((await brokenStore.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
    } finally {
      await broken.close();
      await rm(brokenDir, { recursive: true, force: true });
    }
  });
});
