import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NONCE_BYTES, TAG_BYTES } from '../crypto/aead';
import { UUID, type StoredChunk } from './artifact-chunks';

/** A record's header: chunk index (u32), ciphertext length (u32), nonce. */
const HEADER_BYTES = 8 + NONCE_BYTES;
const SUFFIX = '.chunks';
/** Ciphertext queued for a slow disk beyond this and the copy is given up: a load never waits for its cache file. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;
/** A temporary file this old was left by a process that died writing it (live writers take seconds). */
const ABANDONED_WRITE_MS = 60 * 60 * 1000;
/** A record claiming more ciphertext than this is not one the store wrote (its chunks are 1 MiB). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Local copies of artifacts exactly as PostgreSQL holds them, still sealed: Triton's and KServe's
 * local model repository, without the plaintext. A cold model load then reads a file and decrypts
 * instead of streaming ~100 MiB out of PostgreSQL (which costs it CPU on detoasting while the
 * gateway decrypts beside it). The file is only ever a hint: every chunk is opened under the
 * tenant's key with its artifact id, index and last-flag as associated data, so a file that was
 * cut short, damaged, swapped or left from another database fails to open, and the reader goes back
 * to PostgreSQL from that chunk. Files live at `<root>/<tenantId>/<artifactId>.chunks`, are written
 * beside and renamed into place, and are evicted least recently used beyond a byte budget.
 */
export class ArtifactFileCache {
  private readonly logger = new Logger(ArtifactFileCache.name);
  /** `tenantId/artifactId` → bytes on disk; the Map's order is the order of last use. */
  private readonly entries = new Map<string, number>();
  private usedBytes = 0;
  private unusable = false;
  /** Copies still being written, so that removing an artifact also stops a copy about to appear. */
  private readonly writing = new Map<string, Set<CacheFileWriter>>();

  constructor(
    private readonly root: string,
    private readonly budgetBytes: number,
  ) {}

  get enabled(): boolean {
    return this.budgetBytes > 0 && !this.unusable;
  }

  /**
   * Indexes what an earlier run left, oldest use first, and removes copies a dead process left
   * unfinished. A directory that cannot be used turns the copies off for this process, with a
   * warning, instead of stopping it: every read can still come from PostgreSQL.
   */
  async load(): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.index();
    } catch (error) {
      this.unusable = true;
      this.entries.clear();
      this.usedBytes = 0;
      this.logger.warn(`local artifact copies are off: ${this.root} cannot be used (${(error as Error).message})`);
    }
  }

  private async index(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const found: { key: string; bytes: number; usedAt: number }[] = [];
    for (const tenant of await readdir(this.root)) {
      if (!UUID.test(tenant)) continue;
      for (const name of await readdir(join(this.root, tenant)).catch(() => [])) {
        const path = join(this.root, tenant, name);
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        if (!name.endsWith(SUFFIX)) {
          if (Date.now() - info.mtimeMs > ABANDONED_WRITE_MS) await rm(path, { force: true });
          continue;
        }
        found.push({ key: `${tenant}/${name.slice(0, -SUFFIX.length)}`, bytes: info.size, usedAt: info.mtimeMs });
      }
    }
    for (const file of found.sort((a, b) => a.usedAt - b.usedAt)) this.remember(file.key, file.bytes);
    await this.evictBeyondBudget();
  }

  has(tenantId: string, artifactId: string): boolean {
    return this.entries.has(`${tenantId}/${artifactId}`);
  }

  /** Every cached artifact of every tenant, for the sweep that drops deleted ones. */
  cached(): { tenantId: string; artifactId: string }[] {
    return [...this.entries.keys()].map((key) => {
      const [tenantId, artifactId] = key.split('/');
      return { tenantId, artifactId };
    });
  }

  /**
   * The stored records in order. Ends early at a record cut short; throws on an unreadable file
   * (the caller then removes it and reads PostgreSQL). The next record is read while the consumer
   * works on this one.
   */
  async *read(tenantId: string, artifactId: string): AsyncGenerator<StoredChunk> {
    const key = `${tenantId}/${artifactId}`;
    const handle = await open(this.pathOf(key), 'r');
    this.touch(key);
    let next = readRecord(handle, 0);
    try {
      for (;;) {
        const record = await next;
        if (!record) return;
        next = readRecord(handle, record.end);
        yield record.chunk;
      }
    } finally {
      await next.catch(() => undefined);
      await handle.close();
    }
  }

  /** A copy being written as the chunks go by; nothing is visible until `commit`. */
  writer(tenantId: string, artifactId: string): CacheFileWriter | undefined {
    if (!this.enabled) return undefined;
    const key = `${tenantId}/${artifactId}`;
    const writers = this.writing.get(key) ?? new Set<CacheFileWriter>();
    this.writing.set(key, writers);
    const writer: CacheFileWriter = new CacheFileWriter(
      join(this.root, tenantId),
      this.pathOf(key),
      (bytes) => this.finished(key, writer, bytes),
      (error) => this.logger.warn(`artifact ${artifactId} is not cached locally: ${error.message}`),
    );
    writers.add(writer);
    return writer;
  }

  async remove(tenantId: string, artifactId: string): Promise<void> {
    const key = `${tenantId}/${artifactId}`;
    for (const writer of this.writing.get(key) ?? []) writer.cancel();
    this.forget(key);
    await unlink(this.pathOf(key)).catch(() => undefined);
  }

  /** A writer is done: with its copy in place (bytes), or without one (undefined). */
  private async finished(key: string, writer: CacheFileWriter, bytes: number | undefined): Promise<void> {
    const writers = this.writing.get(key);
    writers?.delete(writer);
    if (writers?.size === 0) this.writing.delete(key);
    if (bytes === undefined) return;
    if (writer.cancelled || bytes > this.budgetBytes) {
      await unlink(this.pathOf(key)).catch(() => undefined);
      return;
    }
    this.remember(key, bytes);
    await this.evictBeyondBudget();
  }

  private async evictBeyondBudget(): Promise<void> {
    for (const [key] of this.entries) {
      if (this.usedBytes <= this.budgetBytes) return;
      this.forget(key);
      await unlink(this.pathOf(key)).catch(() => undefined);
    }
  }

  private remember(key: string, bytes: number): void {
    this.forget(key);
    this.entries.set(key, bytes);
    this.usedBytes += bytes;
  }

  private forget(key: string): void {
    this.usedBytes -= this.entries.get(key) ?? 0;
    this.entries.delete(key);
  }

  private touch(key: string): void {
    const bytes = this.entries.get(key);
    if (bytes !== undefined) this.remember(key, bytes);
  }

  private pathOf(key: string): string {
    return join(this.root, `${key}${SUFFIX}`);
  }
}

/**
 * Appends records to a temporary file without holding up the reader that feeds it: writes queue
 * behind each other, and a failure (a full disk, say) or a queue beyond MAX_QUEUED_BYTES only
 * means this artifact is not cached this time. No fsync: a copy lost in a crash fails its checks
 * on the next read and is read again from PostgreSQL.
 */
export class CacheFileWriter {
  private readonly temporaryPath: string;
  private handle: Promise<FileHandle> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private position = 0;
  private queuedBytes = 0;
  private failure: Error | undefined;
  private finished = false;
  cancelled = false;

  constructor(
    private readonly folder: string,
    private readonly finalPath: string,
    private readonly onFinished: (bytes: number | undefined) => Promise<void>,
    private readonly onFailed: (error: Error) => void,
  ) {
    this.temporaryPath = `${finalPath}.${randomBytes(6).toString('hex')}.tmp`;
  }

  append(chunk: StoredChunk): void {
    if (this.failure || this.finished) return;
    if (this.queuedBytes > MAX_QUEUED_BYTES) return this.fail(new Error('the disk falls behind the stream'));
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32BE(chunk.index, 0);
    header.writeUInt32BE(chunk.ciphertext.byteLength, 4);
    header.set(chunk.nonce.subarray(0, NONCE_BYTES), 8);
    const at = this.position;
    this.position += HEADER_BYTES + chunk.ciphertext.byteLength;
    this.queuedBytes += chunk.ciphertext.byteLength;
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      const handle = await this.opened();
      await handle.writev([header, chunk.ciphertext], at);
      this.queuedBytes -= chunk.ciphertext.byteLength;
    }).catch((error: Error) => this.fail(error));
  }

  /** Renames the finished copy into place once its writes are done; never throws. */
  async commit(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.queue;
    if (!this.failure) {
      try {
        await (await this.opened()).close();
        await rename(this.temporaryPath, this.finalPath);
        await this.onFinished(this.position);
        return;
      } catch (error) {
        this.fail(error as Error);
      }
    }
    await this.discard();
  }

  /** Drops the copy (the read stopped early or failed). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    void this.queue.then(() => this.discard());
  }

  /** The artifact was deleted meanwhile: whatever stage the copy is at, it does not stay. */
  cancel(): void {
    this.cancelled = true;
    this.failure ??= new Error('the artifact was deleted');
  }

  private opened(): Promise<FileHandle> {
    this.handle ??= mkdir(this.folder, { recursive: true, mode: 0o700 }).then(() => open(this.temporaryPath, 'wx', 0o600));
    return this.handle;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailed(error);
  }

  private async discard(): Promise<void> {
    if (this.handle) await (await this.handle.catch(() => undefined))?.close().catch(() => undefined);
    await unlink(this.temporaryPath).catch(() => undefined);
    await this.onFinished(undefined);
  }
}

/** One record at `position`, or undefined at the end of the file or at a record cut short. */
async function readRecord(handle: FileHandle, position: number): Promise<{ chunk: StoredChunk; end: number } | undefined> {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  if ((await handle.read(header, 0, HEADER_BYTES, position)).bytesRead < HEADER_BYTES) return undefined;
  const length = header.readUInt32BE(4);
  if (length < TAG_BYTES || length > MAX_RECORD_BYTES) throw new Error(`a record of ${length} bytes`);
  const ciphertext = Buffer.allocUnsafe(length);
  if ((await handle.read(ciphertext, 0, length, position + HEADER_BYTES)).bytesRead < length) return undefined;
  return { chunk: { index: header.readUInt32BE(0), nonce: header.subarray(8), ciphertext }, end: position + HEADER_BYTES + length };
}
