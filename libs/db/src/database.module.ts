import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { DatabaseConnection } from './database-connection';
import { PrismaService } from './prisma.service';

/** The database for every feature module: connection (embedded or configured), migrations, Prisma. */
@Global()
@Module({
  providers: [
    { provide: DatabaseConnection, inject: [AppConfig], useFactory: (config: AppConfig) => DatabaseConnection.open(config) },
    PrismaService,
  ],
  exports: [DatabaseConnection, PrismaService],
})
export class DatabaseModule {}
