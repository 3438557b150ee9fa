import { AppConfig } from '@maas/config';
import { DatabaseConnection } from '../database-connection';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
async function main(): Promise<void> {
  const connection = await DatabaseConnection.open(AppConfig.fromEnvironment());
  await connection.onApplicationShutdown();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
