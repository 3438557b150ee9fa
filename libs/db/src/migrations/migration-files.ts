import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { PrismaSchemaFile } from '../schema-engine/schema-engine-session';

const LOCKFILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';

/** Reads `prisma/migrations` in Prisma's own layout, as `prisma migrate deploy` would. */
export async function readMigrations(prismaDirectory: string): Promise<MigrationList> {
  const baseDir = join(prismaDirectory, 'migrations');
  const entries = await readdir(baseDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: MIGRATION_FILE,
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, MIGRATION_FILE), 'utf8') },
      },
    })),
  );
  const lockfile = { path: LOCKFILE, content: await readFile(join(baseDir, LOCKFILE), 'utf8').catch(() => null) };
  return { baseDir, lockfile, shadowDbInitScript: '', migrationDirectories };
}

export async function readSchema(prismaDirectory: string): Promise<PrismaSchemaFile> {
  return { path: 'schema.prisma', content: await readFile(join(prismaDirectory, 'schema.prisma'), 'utf8') };
}
