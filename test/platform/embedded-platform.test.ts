import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { platformMainPath, startPlatformProcess } from '../support/platform-process';

/** The environment of a fresh machine: no DATABASE_URL, nothing of the test run's own. */
function bareEnvironment(dataDir: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', MAAS_DATA_DIR: dataDir, PORT: '0' };
}

function embeddedPort(messages: string[]): number {
  const match = messages.map((message) => /started on 127\.0\.0\.1:(\d+)/.exec(message)).find(Boolean);
  if (!match) throw new Error(`no embedded PostgreSQL start message in:\n${messages.join('\n')}`);
  return Number(match[1]);
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() === undefined && resolve(false));
    socket.once('error', () => resolve(true));
  });
}

async function embeddedClient(dataDir: string, port: number): Promise<pg.Client> {
  const password = (await readFile(join(dataDir, 'postgres.password'), 'utf8')).trim();
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'maas', password, database: 'maas' });
  await client.connect();
  return client;
}

describe('the platform on embedded PostgreSQL', () => {
  it('boots without DATABASE_URL, answers ready, stops cleanly and boots again on the same data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maas-embedded-'));

    const first = await startPlatformProcess(bareEnvironment(dataDir));
    const ready = await fetch(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    const firstPort = embeddedPort(first.messages);
    const client = await embeddedClient(dataDir, firstPort);
    await client.query(`INSERT INTO "Tenant" (id, name, slug, "updatedAt") VALUES (gen_random_uuid(), 'Survivor', 'survivor', now())`);
    await client.end();

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await portIsClosed(firstPort)).toBe(true);
    expect(first.messages).toContain('embedded PostgreSQL stopped');

    const second = await startPlatformProcess(bareEnvironment(dataDir));
    try {
      expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
      expect(second.messages).toContain('database schema is up to date');
      const again = await embeddedClient(dataDir, embeddedPort(second.messages));
      const { rows } = await again.query(`SELECT name FROM "Tenant" WHERE slug = 'survivor'`);
      await again.end();
      expect(rows).toEqual([{ name: 'Survivor' }]);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
    expect((await stat(join(dataDir, 'postgres.password'))).mode & 0o777).toBe(0o600);
  }, 180_000);
});

describe('start-up configuration errors', () => {
  it.each([
    ['PORT', 'eighty', 'Invalid configuration: PORT must be an integer port between 0 and 65535 (got "eighty")'],
    ['MAAS_DEVICE', 'tpu', 'Invalid configuration: MAAS_DEVICE must be one of auto, cpu, cuda (got "tpu")'],
    ['DATABASE_URL', 'mysql://db', 'Invalid configuration: DATABASE_URL must be a PostgreSQL URL such as postgresql://user@host:5432/db (got "<redacted>")'],
  ])('a malformed %s stops the process with one clear line', (variable, value, expected) => {
    const result = spawnSync(process.execPath, [platformMainPath()], {
      env: { PATH: process.env.PATH ?? '', [variable]: value, MAAS_DATA_DIR: join(tmpdir(), 'maas-never-used') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${expected}\n`);
  });
});
