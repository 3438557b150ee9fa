import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '@maas/config';
import { EmbeddedDatabase } from '../embedded/embedded-database';
import { applyMigrations, diffDatabaseToSchema } from '../migrations/migrator';
import { locatePrismaDirectory } from '../migrations/project-files';
import { createScratchDatabase } from '../scratch-database';
import { isEmptyMigration } from '../schema-engine/schema-engine-session';

/**
 * `npm run db:new-migration -- <name_in_past_tense>`: writes the next migration from the change to
 * schema.prisma. The existing migrations are replayed on a scratch database and the engine diffs
 * it against the schema; this stands in for Prisma's shadow database, which the WebAssembly engine
 * cannot create through adapter-pg.
 */
async function main(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new Error('usage: npm run db:new-migration -- <name>, a snake_case name in the past tense, e.g. added_model_tags');
  }
  const config = AppConfig.fromEnvironment();
  const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(config.dataDir);
  const scratch = await createScratchDatabase(config.databaseUrl ?? embedded!.url, 'maas_migration');
  try {
    await applyMigrations(scratch.url);
    const sql = await diffDatabaseToSchema(scratch.url);
    if (isEmptyMigration(sql)) return void process.stdout.write('schema.prisma matches the migrations: nothing to write\n');
    const folder = join(locatePrismaDirectory(), 'migrations', `${timestamp()}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'migration.sql'), sql);
    process.stdout.write(`wrote ${folder}/migration.sql\n`);
  } finally {
    await scratch.drop();
    await embedded?.stop();
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

main(process.argv[2]).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
