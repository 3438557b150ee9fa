import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { CharAsTextClient } from './char-as-text-client';
import { loadSchemaEngine } from './load-schema-engine';

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface PrismaSchemaFile {
  path: string;
  content: string;
}

/** One connection of Prisma's schema engine to one database, for migrations and schema diffs. */
export class SchemaEngineSession {
  private constructor(
    private readonly engine: SchemaEngine,
    private readonly pool: pg.Pool,
    private readonly schema: PrismaSchemaFile,
  ) {}

  static async open(databaseUrl: string, schema: PrismaSchemaFile): Promise<SchemaEngineSession> {
    const { SchemaEngine } = await loadSchemaEngine();
    const pool = new pg.Pool({ connectionString: databaseUrl, Client: CharAsTextClient, max: 2 });
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
    const ignoreEngineLogs = () => undefined;
    const engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, ignoreEngineLogs, adapter);
    return new SchemaEngineSession(engine, pool, schema);
  }

  /** Applies the migrations not yet recorded in `_prisma_migrations`; returns their names. */
  async applyMigrations(migrations: MigrationList): Promise<string[]> {
    const { appliedMigrationNames } = await this.engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS });
    return appliedMigrationNames;
  }

  /** The SQL script that would take the connected database to `schema.prisma`. */
  async diffDatabaseToSchema(): Promise<string> {
    const files = [this.schema];
    const { stdout } = await this.engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stdout ?? '';
  }

  async close(): Promise<void> {
    this.engine.free();
    await this.pool.end();
  }
}

/** True when a diff script holds no statement (the engine answers "-- This is an empty migration."). */
export function isEmptyMigration(sql: string): boolean {
  return sql
    .split('\n')
    .every((line) => line.trim() === '' || line.trimStart().startsWith('--'));
}
