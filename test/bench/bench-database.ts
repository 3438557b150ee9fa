import { applyMigrations, createScratchDatabase, ScratchDatabase } from '@maas/db';
import { openTestServer, TestServer } from '../support/test-server';

/** A fresh migrated database for one benchmark run (same server rules as the tests). */
export async function openBenchDatabase(): Promise<{ database: ScratchDatabase; server: TestServer; close(): Promise<void> }> {
  const server = await openTestServer();
  const database = await createScratchDatabase(server.url, 'maas_bench');
  await applyMigrations(database.url);
  return {
    database,
    server,
    close: async () => {
      await database.drop();
      await server.stop();
    },
  };
}
