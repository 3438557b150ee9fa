import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createScratchDatabase, ScratchDatabase } from '../scratch-database';
import { isEmptyMigration } from '../schema-engine/schema-engine-session';
import { applyMigrations, diffDatabaseToSchema } from './migrator';
import { readMigrations } from './migration-files';
import { locatePrismaDirectory } from './project-files';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase(inject('serverUrl'), 'maas_migrations');
  });
  afterAll(() => database.drop());

  it('apply on an empty database and are recorded in _prisma_migrations', async () => {
    const { migrationDirectories } = await readMigrations(locatePrismaDirectory());
    const names = migrationDirectories.map((directory) => directory.path);
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(database.url)).toEqual(names);

    const recorded = await query<{ migration_name: string; finished: boolean }>(
      database.url,
      'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(recorded).toEqual(names.map((migration_name) => ({ migration_name, finished: true })));
  });

  it('are a no-op the second time', async () => {
    expect(await applyMigrations(database.url)).toEqual([]);
    const [{ count }] = await query<{ count: string }>(database.url, 'SELECT count(*) FROM _prisma_migrations');
    expect(Number(count)).toBe((await readMigrations(locatePrismaDirectory())).migrationDirectories.length);
  });

  it('produce exactly schema.prisma: tables, columns, types, indexes and keys', async () => {
    const diff = await diffDatabaseToSchema(database.url);
    expect(isEmptyMigration(diff), diff).toBe(true);
  });

  it('the schema check notices drift (so an empty diff means something)', async () => {
    const drifted = await createScratchDatabase(inject('serverUrl'), 'maas_drift');
    try {
      await applyMigrations(drifted.url);
      await query(drifted.url, 'ALTER TABLE "Model" ADD COLUMN "stray" TEXT; DROP INDEX "AuditEvent_tenantId_createdAt_idx"');
      const diff = await diffDatabaseToSchema(drifted.url);
      expect(isEmptyMigration(diff)).toBe(false);
      expect(diff).toContain('"stray"');
      expect(diff).toContain('AuditEvent_tenantId_createdAt_idx');
    } finally {
      await drifted.drop();
    }
  });
});
