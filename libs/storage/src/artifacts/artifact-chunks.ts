import { Injectable, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ConnectionFaults, createDatabasePool, DatabaseConnection } from '@maas/db';
import { binaryCopyRows } from './copy-binary';

/** An artifact id as PostgreSQL writes it; checked wherever one becomes SQL text or a file name. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How far a COPY reads ahead of its consumer: decrypting one chunk overlaps receiving the next ones. */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

export interface StoredChunk {
  index: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

/**
 * The `ArtifactChunk` table, through node-postgres directly. Prisma's query path carries every
 * parameter through its WebAssembly query compiler: a 192 MiB upload grew that memory by ~135 MiB,
 * which WebAssembly never returns. Here a chunk's bytes go to the socket as a binary parameter.
 */
@Injectable()
export class ArtifactChunks implements OnModuleDestroy {
  private readonly pool: pg.Pool;

  constructor(connection: DatabaseConnection, faults: ConnectionFaults) {
    this.pool = createDatabasePool('artifact-chunks', faults, { connectionString: connection.url, max: 4 });
  }

  async insert(artifactId: string, chunk: StoredChunk): Promise<void> {
    await this.pool.query('INSERT INTO "ArtifactChunk" ("artifactId", index, nonce, ciphertext) VALUES ($1, $2, $3, $4)', [artifactId, chunk.index, chunk.nonce, chunk.ciphertext]);
  }

  /**
   * Chunks `[fromIndex, toIndex)` in order, streamed by one binary COPY: the text protocol would
   * send each ciphertext as hex, twice its size, to be decoded again here. The COPY follows the
   * consumer's pace (back-pressure reaches the socket), so memory stays at a few chunks.
   */
  async *stream(artifactId: string, fromIndex: number, toIndex: number): AsyncGenerator<StoredChunk> {
    if (!UUID.test(artifactId) || !Number.isSafeInteger(fromIndex) || !Number.isSafeInteger(toIndex)) throw new Error('invalid chunk range');
    // COPY takes no bind parameters; the values are a checked UUID and two integers.
    const sql = `COPY (SELECT index, nonce, ciphertext FROM "ArtifactChunk" WHERE "artifactId" = '${artifactId}' AND index >= ${fromIndex} AND index < ${toIndex} ORDER BY index) TO STDOUT (FORMAT binary)`;
    const client = await this.pool.connect();
    const copy = client.query(copyTo(sql, { highWaterMark: READ_AHEAD_BYTES }));
    let finished = false;
    try {
      for await (const [index, nonce, ciphertext] of binaryCopyRows(copy)) yield { index: index!.readInt32BE(0), nonce: nonce!, ciphertext: ciphertext! };
      finished = true;
    } finally {
      // A consumer that stops early leaves the COPY mid-way: that connection is not reusable.
      client.release(finished ? undefined : true);
      if (!finished) copy.destroy();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
