import { SchemaEngineSession } from '../schema-engine/schema-engine-session';
import { readMigrations, readSchema } from './migration-files';
import { locatePrismaDirectory } from './project-files';

/**
 * Applies `prisma/migrations` to a database through Prisma's WebAssembly schema engine, recording
 * them in `_prisma_migrations` exactly as `prisma migrate deploy` does. Idempotent.
 */
export async function applyMigrations(databaseUrl: string, prismaDirectory = locatePrismaDirectory()): Promise<string[]> {
  const session = await SchemaEngineSession.open(databaseUrl, await readSchema(prismaDirectory));
  try {
    return await session.applyMigrations(await readMigrations(prismaDirectory));
  } finally {
    await session.close();
  }
}

/** The SQL script that would take the database to `schema.prisma` (see `isEmptyMigration`). */
export async function diffDatabaseToSchema(databaseUrl: string, prismaDirectory = locatePrismaDirectory()): Promise<string> {
  const session = await SchemaEngineSession.open(databaseUrl, await readSchema(prismaDirectory));
  try {
    return await session.diffDatabaseToSchema();
  } finally {
    await session.close();
  }
}
