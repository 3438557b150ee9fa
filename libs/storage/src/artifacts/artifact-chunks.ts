import { Injectable, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DatabaseConnection } from '@maas/db';
import { parseBinaryCopy } from './copy-binary';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

  constructor(connection: DatabaseConnection) {
    this.pool = new pg.Pool({ connectionString: connection.url, max: 4 });
  }

  async insert(artifactId: string, chunk: StoredChunk): Promise<void> {
    await this.pool.query('INSERT INTO "ArtifactChunk" ("artifactId", index, nonce, ciphertext) VALUES ($1, $2, $3, $4)', [artifactId, chunk.index, chunk.nonce, chunk.ciphertext]);
  }

  /**
   * Chunks `[fromIndex, fromIndex + count)` in order, read with binary COPY: the text protocol
   * would send each ciphertext as hex, twice its size, to be decoded again here.
   */
  async range(artifactId: string, fromIndex: number, count: number): Promise<StoredChunk[]> {
    if (!UUID.test(artifactId) || !Number.isSafeInteger(fromIndex) || !Number.isSafeInteger(count)) throw new Error('invalid chunk range');
    // COPY takes no bind parameters; the values are a checked UUID and two integers.
    const sql = `COPY (SELECT index, nonce, ciphertext FROM "ArtifactChunk" WHERE "artifactId" = '${artifactId}' AND index >= ${fromIndex} AND index < ${fromIndex + count} ORDER BY index) TO STDOUT (FORMAT binary)`;
    const client = await this.pool.connect();
    try {
      const parts: Buffer[] = [];
      for await (const part of client.query(copyTo(sql))) parts.push(part as Buffer);
      return parseBinaryCopy(Buffer.concat(parts)).map(([index, nonce, ciphertext]) => ({ index: index!.readInt32BE(0), nonce: nonce!, ciphertext: ciphertext! }));
    } finally {
      client.release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
