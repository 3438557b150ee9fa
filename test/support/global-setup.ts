import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, createScratchDatabase } from '@maas/db';
import { redisAnswers } from './redis-server';
import { openTestServer } from './test-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh, migrated database for this run. */
    databaseUrl: string;
    /** The server it lives on, for tests that need databases of their own. */
    serverUrl: string;
    /** Whether the machine's Redis answers: the Redis halves of queue tests skip (visibly) without it. */
    redisAvailable: boolean;
    /**
     * MAAS_DATA_DIR of the run's platforms, removed at the end: the sealed local copies of artifacts
     * their uploads leave do not pile up in the checkout's `.maas` (their databases are dropped, so
     * no later sweep would know them).
     */
    dataDir: string;
  }
}

/** One fresh database per test run, migrated once (immich's medium-test idea), dropped at the end. */
export default async function setup(project: TestProject) {
  const server = await openTestServer();
  const database = await createScratchDatabase(server.url, 'maas_test');
  await applyMigrations(database.url);
  project.provide('databaseUrl', database.url);
  project.provide('serverUrl', server.url);
  project.provide('redisAvailable', await redisAnswers());
  const dataDir = await mkdtemp(join(tmpdir(), 'maas-test-data-'));
  project.provide('dataDir', dataDir);
  return async () => {
    await database.drop();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
