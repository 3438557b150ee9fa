export { DatabaseConnection } from './database-connection';
export { DatabaseModule } from './database.module';
export { PrismaService } from './prisma.service';
export { DatabaseNotifications } from './notifications/database-notifications';
export { applyMigrations, diffDatabaseToSchema } from './migrations/migrator';
export { isEmptyMigration } from './schema-engine/schema-engine-session';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { EmbeddedDatabase } from './embedded/embedded-database';
export * from './generated/prisma/client';
