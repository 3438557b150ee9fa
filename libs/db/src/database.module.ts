import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { DatabaseConnection } from './database-connection';
import { DatabaseNotifications } from './notifications/database-notifications';
import { PrismaService } from './prisma.service';

/** The database for every feature module: connection (embedded or configured), migrations, Prisma, notifications. */
@Global()
@Module({
  providers: [
    { provide: DatabaseConnection, inject: [AppConfig], useFactory: (config: AppConfig) => DatabaseConnection.open(config) },
    PrismaService,
    DatabaseNotifications,
  ],
  exports: [DatabaseConnection, PrismaService, DatabaseNotifications],
})
export class DatabaseModule {}
