import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Artifact, PrismaService } from '@maas/db';
import { ArtifactCipher } from '../crypto/artifact-cipher';
import { TenantKeyring } from '../keys/tenant-keyring';
import { ArtifactChunks } from './artifact-chunks';
import { ArtifactFileCache } from './artifact-file-cache';
import { ArtifactIntegrityError, ArtifactNotFoundError, ArtifactTooLargeError } from './artifact-errors';
import { chunked, markingLast } from './chunker';

export const CHUNK_BYTES = 1024 * 1024;
/**
 * Chunks read by one COPY: a download holds a connection for at most this many chunks, so a slow
 * client cannot keep one (and a snapshot) for the whole artifact.
 */
const CHUNKS_PER_QUERY = 64;
/** Incomplete artifacts older than this are leftovers of a crashed upload. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;
/**
 * How often local copies of artifacts deleted since (by any process, or with their tenant) are
 * removed. Until then a copy is never served: every read first finds the artifact's row.
 */
const CACHE_SWEEP_MS = 60_000;
/** Artifact ids looked up per query by the sweep. */
const SWEEP_BATCH = 1_000;

export interface WriteOptions {
  maxBytes: number;
  contentType?: string;
  /** Sees each plaintext chunk while it is being stored (e.g. to validate the model); awaited. */
  observeChunk?: (chunk: Buffer) => Promise<void>;
  /** Keep a local copy as well (a model version, loaded soon after); see ArtifactFileCache. */
  cacheLocally?: boolean;
}

/** Chunk inserts in flight at once: the database works while the next chunk is sealed. */
const WRITE_WINDOW = 3;

/**
 * Artifacts encrypted at rest in PostgreSQL: 1 MiB chunks, each sealed with AES-256-GCM under the
 * tenant's data key. Writes stream with back-pressure (a few chunks in flight) and leave nothing
 * behind on failure; reads stream and verify every chunk's tag (which also covers order and
 * truncation, see ArtifactCipher). The plaintext's SHA-256 is kept for ETags and de-duplication.
 */
@Injectable()
export class ArtifactStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ArtifactStore.name);
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly chunks: ArtifactChunks,
    private readonly keyring: TenantKeyring,
    private readonly files: ArtifactFileCache,
  ) {}

  async onModuleInit(): Promise<void> {
    const { count } = await this.prisma.artifact.deleteMany({ where: { complete: false, createdAt: { lt: new Date(Date.now() - STALE_UPLOAD_MS) } } });
    if (count) this.logger.warn(`removed ${count} incomplete artifact(s) left by interrupted uploads`);
    await this.files.load();
    await this.sweepDeletedCopies();
    this.sweeper = setInterval(() => void this.sweepDeletedCopies(), CACHE_SWEEP_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async write(tenantId: string, source: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<Artifact> {
    const dataKey = await this.keyring.dataKey(tenantId);
    const artifact = await this.prisma.artifact.create({
      data: { tenantId, sha256: '', sizeBytes: 0n, chunkSize: CHUNK_BYTES, chunkCount: 0, contentType: options.contentType ?? 'application/octet-stream' },
    });
    const copy = options.cacheLocally ? this.files.writer(tenantId, artifact.id) : undefined;
    try {
      const hash = createHash('sha256');
      const inFlight = new Set<Promise<void>>();
      let size = 0;
      let index = 0;
      for await (const { item: chunk, isLast } of markingLast(chunked(source, CHUNK_BYTES))) {
        size += chunk.byteLength;
        if (size > options.maxBytes) throw new ArtifactTooLargeError(options.maxBytes);
        hash.update(chunk);
        const { nonce, ciphertext } = ArtifactCipher.sealChunk(dataKey, artifact.id, index, chunk, isLast);
        copy?.append({ index, nonce, ciphertext });
        const stored = Promise.all([this.chunks.insert(artifact.id, { index, nonce, ciphertext }), options.observeChunk?.(chunk)]).then(() => undefined);
        inFlight.add(stored);
        void stored.then(() => inFlight.delete(stored), () => undefined);
        if (inFlight.size >= WRITE_WINDOW) await Promise.race(inFlight);
        index++;
      }
      await Promise.all(inFlight);
      const complete = await this.prisma.artifact.update({
        where: { id: artifact.id },
        data: { sha256: hash.digest('hex'), sizeBytes: BigInt(size), chunkCount: index, complete: true },
      });
      void copy?.commit();
      return complete;
    } catch (error) {
      copy?.abort();
      await this.prisma.artifact.delete({ where: { id: artifact.id } }).catch(() => undefined);
      throw error;
    }
  }

  async find(tenantId: string, artifactId: string): Promise<Artifact> {
    const artifact = await this.prisma.artifact.findFirst({ where: { id: artifactId, tenantId, complete: true } });
    if (!artifact) throw new ArtifactNotFoundError(artifactId);
    return artifact;
  }

  /**
   * The decrypted chunks in order, with the artifact's size, for a consumer that assembles them
   * elsewhere (a model worker thread). Like every read, it throws rather than yield a chunk that
   * does not verify.
   */
  async openChunks(tenantId: string, artifactId: string): Promise<{ sizeBytes: number; chunks: AsyncGenerator<Buffer> }> {
    const artifact = await this.find(tenantId, artifactId);
    const dataKey = await this.keyring.dataKey(tenantId);
    return { sizeBytes: Number(artifact.sizeBytes), chunks: this.decryptedChunks(artifact, dataKey) };
  }

  /** The decrypted bytes as a stream; it errors (never yields garbage) if anything was tampered with. */
  async openReadStream(tenantId: string, artifactId: string): Promise<Readable> {
    return Readable.from((await this.openChunks(tenantId, artifactId)).chunks, { objectMode: false });
  }

  /** The whole artifact in memory, for runtimes that load from a buffer. */
  async readAll(tenantId: string, artifactId: string): Promise<Buffer> {
    const { sizeBytes, chunks } = await this.openChunks(tenantId, artifactId);
    const out = Buffer.allocUnsafe(sizeBytes);
    let offset = 0;
    for await (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  async delete(tenantId: string, artifactId: string): Promise<void> {
    await this.prisma.artifact.deleteMany({ where: { id: artifactId, tenantId } });
    await this.files.remove(tenantId, artifactId);
  }

  /** An identical complete artifact of the tenant (same SHA-256 and size), for de-duplication. */
  findDuplicate(tenantId: string, artifact: Artifact): Promise<Artifact | null> {
    return this.prisma.artifact.findFirst({ where: { tenantId, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes, complete: true, id: { not: artifact.id } } });
  }

  /** The local copy first, if there is one, then PostgreSQL from the first chunk it could not give. */
  private async *decryptedChunks(artifact: Artifact, dataKey: Buffer): AsyncGenerator<Buffer> {
    let size = 0;
    let index = 0;
    const count = (plaintext: Buffer) => {
      size += plaintext.byteLength;
      index++;
      return plaintext;
    };
    if (this.files.has(artifact.tenantId, artifact.id)) {
      for await (const plaintext of this.locallyCachedChunks(artifact, dataKey)) yield count(plaintext);
    }
    if (index < artifact.chunkCount) {
      for await (const plaintext of this.storedChunks(artifact, dataKey, index)) yield count(plaintext);
    }
    if (BigInt(size) !== artifact.sizeBytes) throw new ArtifactIntegrityError(artifact.id, `it holds ${size} bytes, not the recorded ${artifact.sizeBytes}`);
  }

  /** The chunks of the local copy that open; the copy is removed at the first that does not. */
  private async *locallyCachedChunks(artifact: Artifact, dataKey: Buffer): AsyncGenerator<Buffer> {
    let index = 0;
    let problem: string | undefined;
    try {
      for await (const record of this.files.read(artifact.tenantId, artifact.id)) {
        if (index === artifact.chunkCount) break;
        if (record.index !== index) {
          problem = `it holds chunk ${record.index} where chunk ${index} belongs`;
          break;
        }
        let plaintext: Buffer;
        try {
          plaintext = this.openChunk(dataKey, artifact.id, index, index === artifact.chunkCount - 1, record.nonce, record.ciphertext);
        } catch (error) {
          problem = (error as Error).message;
          break;
        }
        index++;
        yield plaintext;
      }
      if (index < artifact.chunkCount) problem ??= `it ends after ${index} of ${artifact.chunkCount} chunks`;
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem === undefined) return;
    this.logger.warn(`local copy of artifact ${artifact.id} dropped (${problem}); reading PostgreSQL from chunk ${index}`);
    await this.files.remove(artifact.tenantId, artifact.id);
  }

  /** From PostgreSQL, a window of chunks per COPY; a read of the whole artifact leaves a local copy. */
  private async *storedChunks(artifact: Artifact, dataKey: Buffer, fromIndex: number): AsyncGenerator<Buffer> {
    const copy = fromIndex === 0 ? this.files.writer(artifact.tenantId, artifact.id) : undefined;
    let index = fromIndex;
    try {
      for (let start = fromIndex; start < artifact.chunkCount; start += CHUNKS_PER_QUERY) {
        const end = Math.min(start + CHUNKS_PER_QUERY, artifact.chunkCount);
        for await (const row of this.chunks.stream(artifact.id, start, end)) {
          if (row.index !== index) break;
          const plaintext = this.openChunk(dataKey, artifact.id, index, index === artifact.chunkCount - 1, row.nonce, row.ciphertext);
          copy?.append(row);
          index++;
          yield plaintext;
        }
        if (index !== end) throw new ArtifactIntegrityError(artifact.id, `chunk ${index} is missing`);
      }
      void copy?.commit();
    } finally {
      copy?.abort();
    }
  }

  /**
   * Copies of artifacts whose rows are gone; a database that cannot answer now is asked next time.
   * Tenants this database does not know are another database's, sharing the data directory (as
   * test runs do): their copies are theirs to sweep.
   */
  private async sweepDeletedCopies(): Promise<void> {
    try {
      const copies = this.files.cached();
      const tenantIds = [...new Set(copies.map((copy) => copy.tenantId))];
      const known = new Set((await this.prisma.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true } })).map((tenant) => tenant.id));
      const ours = copies.filter((copy) => known.has(copy.tenantId));
      for (let start = 0; start < ours.length; start += SWEEP_BATCH) {
        const batch = ours.slice(start, start + SWEEP_BATCH);
        const rows = await this.prisma.artifact.findMany({ where: { id: { in: batch.map((copy) => copy.artifactId) } }, select: { id: true, tenantId: true } });
        const kept = new Set(rows.map((row) => `${row.tenantId}/${row.id}`));
        for (const copy of batch) if (!kept.has(`${copy.tenantId}/${copy.artifactId}`)) await this.files.remove(copy.tenantId, copy.artifactId);
      }
    } catch (error) {
      this.logger.debug(`local artifact copies not swept this time: ${(error as Error).message}`);
    }
  }

  private openChunk(dataKey: Buffer, artifactId: string, index: number, isLast: boolean, nonce: Uint8Array, ciphertext: Uint8Array): Buffer {
    try {
      return ArtifactCipher.openChunk(dataKey, artifactId, index, isLast, nonce, ciphertext);
    } catch {
      throw new ArtifactIntegrityError(artifactId, `chunk ${index} does not decrypt (tampered, reordered or under another key)`);
    }
  }
}
