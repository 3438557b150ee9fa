import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppConfig } from '@maas/config';
import { EmbeddedDatabase } from '@maas/db';

const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestServer {
  /** A URL on the server with rights to create databases. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server the tests create their databases on: DATABASE_URL's server when set (CI),
 * else the local server when one answers, else an embedded one in a temporary folder — so
 * `npm test` works on a machine with nothing but Node.
 */
export async function openTestServer(): Promise<TestServer> {
  const configured = AppConfig.fromEnvironment().databaseUrl;
  if (configured) return { url: configured, stop: async () => undefined };
  if (await answers(LOCAL_SERVER)) return { url: LOCAL_SERVER, stop: async () => undefined };
  const embedded = await EmbeddedDatabase.start(await mkdtemp(join(tmpdir(), 'maas-test-')));
  return { url: embedded.url, stop: () => embedded.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
