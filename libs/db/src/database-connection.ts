import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@maas/config';
import { EmbeddedDatabase } from './embedded/embedded-database';
import { applyMigrations } from './migrations/migrator';

/**
 * Where the database is: the operator's server (`DATABASE_URL`) or the embedded default, started
 * here. Migrations are applied before anything else connects. An embedded server is stopped
 * last, after every module has closed its connections.
 */
export class DatabaseConnection implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly url: string,
    private readonly embedded?: EmbeddedDatabase,
  ) {}

  static async open(config: AppConfig): Promise<DatabaseConnection> {
    const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(config.dataDir);
    const url = config.databaseUrl ?? embedded!.url;
    try {
      const applied = await applyMigrations(url);
      DatabaseConnection.logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    return new DatabaseConnection(url, embedded);
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
