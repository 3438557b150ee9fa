import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { DatabaseConnection } from './database-connection';
import { ConnectionFaults } from './faults/connection-faults';
import { DatabaseNotifications } from './notifications/database-notifications';
import { PrismaService } from './prisma.service';

/** The database for every feature module: connection (embedded or configured), migrations, Prisma, notifications. */
@Global()
@Module({
  providers: [
    { provide: DatabaseConnection, inject: [AppConfig], useFactory: (config: AppConfig) => DatabaseConnection.open(config) },
    ConnectionFaults,
    PrismaService,
    DatabaseNotifications,
  ],
  exports: [DatabaseConnection, ConnectionFaults, PrismaService, DatabaseNotifications],
})
export class DatabaseModule {}
