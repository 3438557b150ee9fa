import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MasterKey } from '@maas/config';
import { applyMigrations, createScratchDatabase, PrismaService } from '@maas/db';
import { startTestModule, TEST_MASTER_KEY } from '../../../../test/support/test-module';
import { rotateMasterKey } from '../keys/rotate-master-key';
import { StorageModule } from '../storage.module';
import { ArtifactIntegrityError, ArtifactTooLargeError } from './artifact-errors';
import { ArtifactStore, CHUNK_BYTES } from './artifact-store';

/** A stream of `total` bytes in pieces of awkward sizes, so chunk boundaries fall mid-piece. */
async function* pieces(data: Buffer, pieceSize = 65_537): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += pieceSize) yield data.subarray(offset, offset + pieceSize);
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('ArtifactStore', () => {
  let moduleRef: TestingModule;
  let store: ArtifactStore;
  let prisma: PrismaService;
  let tenantId: string;

  beforeAll(async () => {
    moduleRef = await startTestModule([StorageModule]);
    store = moduleRef.get(ArtifactStore);
    prisma = moduleRef.get(PrismaService);
    tenantId = (await prisma.tenant.create({ data: { name: 'Storage', slug: `storage-${randomBytes(4).toString('hex')}` } })).id;
  });
  afterAll(() => moduleRef.close());

  const chunkCount = async (artifactId: string) => prisma.artifactChunk.count({ where: { artifactId } });

  it.each([0, 1, CHUNK_BYTES, CHUNK_BYTES * 2 + 12_345])('round-trips %d bytes through 1 MiB encrypted chunks', async (size) => {
    const data = randomBytes(size);
    const artifact = await store.write(tenantId, pieces(data), { maxBytes: 10 * CHUNK_BYTES });
    expect(artifact).toMatchObject({ complete: true, sizeBytes: BigInt(size), chunkCount: Math.ceil(size / CHUNK_BYTES) });
    expect(await chunkCount(artifact.id)).toBe(Math.ceil(size / CHUNK_BYTES));
    expect((await collect(await store.openReadStream(tenantId, artifact.id))).equals(data)).toBe(true);
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
  });

  it('stores no plaintext: the database holds only ciphertext', async () => {
    const marker = Buffer.from('PLAINTEXT-MARKER-7f3a9c');
    const artifact = await store.write(tenantId, pieces(Buffer.concat([randomBytes(1000), marker, randomBytes(1000)])), { maxBytes: CHUNK_BYTES });
    const rows = await prisma.$queryRaw<Array<{ row: string }>>`SELECT c::text AS row FROM "ArtifactChunk" c WHERE "artifactId" = ${artifact.id}::uuid`;
    const dump = rows.map((row) => row.row).join('');
    expect(dump).not.toContain(marker.toString());
    expect(dump).not.toContain(marker.toString('hex'));
  });

  it('fails loudly on a tampered chunk, and on chunks swapped between positions', async () => {
    const artifact = await store.write(tenantId, pieces(randomBytes(CHUNK_BYTES * 2 + 10)), { maxBytes: 10 * CHUNK_BYTES });
    await prisma.$executeRaw`UPDATE "ArtifactChunk" SET ciphertext = set_byte(ciphertext, 5, get_byte(ciphertext, 5) # 1) WHERE "artifactId" = ${artifact.id}::uuid AND index = 1`;
    await expect(store.readAll(tenantId, artifact.id)).rejects.toThrow(ArtifactIntegrityError);
    await expect(collect(await store.openReadStream(tenantId, artifact.id))).rejects.toThrow('chunk 1 does not decrypt');

    const other = await store.write(tenantId, pieces(randomBytes(CHUNK_BYTES * 2)), { maxBytes: 10 * CHUNK_BYTES });
    await prisma.$executeRaw`UPDATE "ArtifactChunk" SET index = 9 WHERE "artifactId" = ${other.id}::uuid AND index = 0`;
    await prisma.$executeRaw`UPDATE "ArtifactChunk" SET index = 0 WHERE "artifactId" = ${other.id}::uuid AND index = 1`;
    await prisma.$executeRaw`UPDATE "ArtifactChunk" SET index = 1 WHERE "artifactId" = ${other.id}::uuid AND index = 9`;
    await expect(store.readAll(tenantId, other.id)).rejects.toThrow('chunk 0 does not decrypt');
  });

  it('fails loudly on an artifact cut short, even with its recorded size and count edited to match', async () => {
    const artifact = await store.write(tenantId, pieces(randomBytes(CHUNK_BYTES * 3)), { maxBytes: 10 * CHUNK_BYTES });
    await prisma.artifactChunk.deleteMany({ where: { artifactId: artifact.id, index: 2 } });
    await prisma.artifact.update({ where: { id: artifact.id }, data: { chunkCount: 2, sizeBytes: BigInt(CHUNK_BYTES * 2) } });
    await expect(store.readAll(tenantId, artifact.id)).rejects.toThrow('chunk 1 does not decrypt');
  });

  it('fails loudly on a chunk missing from the middle', async () => {
    const artifact = await store.write(tenantId, pieces(randomBytes(CHUNK_BYTES * 3)), { maxBytes: 10 * CHUNK_BYTES });
    await prisma.artifactChunk.deleteMany({ where: { artifactId: artifact.id, index: 1 } });
    await expect(store.readAll(tenantId, artifact.id)).rejects.toThrow('chunk 1 is missing');
  });

  it('frees the database connection of a read abandoned mid-way (a client that stops downloading)', async () => {
    const data = randomBytes(CHUNK_BYTES * 3);
    const artifact = await store.write(tenantId, pieces(data), { maxBytes: 10 * CHUNK_BYTES });
    // More abandoned reads than the pool has connections: a leaked connection would hang the last read.
    for (let attempt = 0; attempt < 6; attempt++) {
      const stream = await store.openReadStream(tenantId, artifact.id);
      for await (const part of stream) {
        expect((part as Buffer).byteLength).toBe(CHUNK_BYTES);
        break;
      }
    }
    expect((await store.readAll(tenantId, artifact.id)).equals(data)).toBe(true);
  });

  it('refuses uploads over the limit and leaves no artifact or chunk behind', async () => {
    const before = await prisma.artifact.count();
    await expect(store.write(tenantId, pieces(randomBytes(3 * CHUNK_BYTES)), { maxBytes: 2 * CHUNK_BYTES })).rejects.toThrow(ArtifactTooLargeError);
    expect(await prisma.artifact.count()).toBe(before);
  });

  it('leaves nothing behind when the source fails mid-stream (a client that disconnects)', async () => {
    const before = { artifacts: await prisma.artifact.count(), chunks: await prisma.artifactChunk.count() };
    async function* brokenSource() {
      yield randomBytes(CHUNK_BYTES + 100);
      throw new Error('aborted');
    }
    await expect(store.write(tenantId, brokenSource(), { maxBytes: 10 * CHUNK_BYTES })).rejects.toThrow('aborted');
    expect({ artifacts: await prisma.artifact.count(), chunks: await prisma.artifactChunk.count() }).toEqual(before);
  });

  it('keeps memory bounded while writing and reading 384 MiB (it never holds the artifact)', async () => {
    const total = 384 * CHUNK_BYTES;
    const block = randomBytes(CHUNK_BYTES);
    async function* generated() {
      for (let i = 0; i < total / CHUNK_BYTES; i++) yield block;
    }
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const artifact = await store.write(tenantId, generated(), { maxBytes: total });
      let read = 0;
      for await (const part of await store.openReadStream(tenantId, artifact.id)) read += (part as Buffer).byteLength;
      expect(read).toBe(total);
      await store.delete(tenantId, artifact.id);
    } finally {
      clearInterval(sampler);
    }
    // Garbage from hex-decoded rows waits for the GC, so growth is not zero, but it plateaus
    // (measured: 107 MiB for 192 MiB, 128 MiB for 576 MiB) instead of following the size.
    expect(peak - baseline).toBeLessThan(192 * 1024 * 1024);
  }, 120_000);

  it('rotating the master key re-wraps data keys; old artifacts still read under the new key', async () => {
    // Rotation re-wraps every tenant's key: it gets a database of its own, away from the other test files.
    const database = await createScratchDatabase(inject('serverUrl'), 'maas_rotation');
    await applyMigrations(database.url);
    const before = await startTestModule([StorageModule], { DATABASE_URL: database.url });
    const isolated = before.get(PrismaService);
    try {
      const rotationTenant = (await isolated.tenant.create({ data: { name: 'Rotation', slug: 'rotation' } })).id;
      const data = randomBytes(CHUNK_BYTES + 5);
      const artifact = await before.get(ArtifactStore).write(rotationTenant, pieces(data), { maxBytes: 10 * CHUNK_BYTES });
      const chunksBefore = await isolated.artifactChunk.findMany({ where: { artifactId: artifact.id }, orderBy: { index: 'asc' } });

      const newKey = randomBytes(32).toString('base64');
      expect(await rotateMasterKey(isolated, MasterKey.fromBase64(TEST_MASTER_KEY), MasterKey.fromBase64(newKey))).toMatchObject({ rewrapped: 1 });

      const rotated = await startTestModule([StorageModule], { DATABASE_URL: database.url, MAAS_MASTER_KEY: newKey });
      expect((await rotated.get(ArtifactStore).readAll(rotationTenant, artifact.id)).equals(data)).toBe(true);
      expect(await isolated.artifactChunk.findMany({ where: { artifactId: artifact.id }, orderBy: { index: 'asc' } })).toEqual(chunksBefore);
      await rotated.close();

      const stale = await startTestModule([StorageModule], { DATABASE_URL: database.url });
      await expect(stale.get(ArtifactStore).readAll(rotationTenant, artifact.id)).rejects.toThrow(/wrapped by master key [0-9a-f]{16}, but the configured master key is [0-9a-f]{16}/);
      await stale.close();
    } finally {
      await before.close();
      await database.drop();
    }
  });
});
