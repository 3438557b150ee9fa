import { Injectable, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DatabaseConnection } from '@maas/db';

export interface StoredChunk {
  index: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

/**
 * The `ArtifactChunk` table, through node-postgres directly. Prisma's query path carries every
 * parameter through its WebAssembly query compiler: a 192 MiB upload grew that memory by ~135 MiB,
 * which WebAssembly never returns. Here a chunk's bytes go to the socket as a binary parameter.
 * (Results still arrive as hex text: node-postgres's protocol parser has no binary mode.)
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

  async range(artifactId: string, fromIndex: number, count: number): Promise<StoredChunk[]> {
    const { rows } = await this.pool.query<StoredChunk>(
      'SELECT index, nonce, ciphertext FROM "ArtifactChunk" WHERE "artifactId" = $1 AND index >= $2 AND index < $3 ORDER BY index',
      [artifactId, fromIndex, fromIndex + count],
    );
    return rows;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
