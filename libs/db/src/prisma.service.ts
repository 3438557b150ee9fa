import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { DatabaseConnection } from './database-connection';
import { ConnectionFaults } from './faults/connection-faults';
import { createDatabasePool } from './faults/database-pool';
import { PrismaClient } from './generated/prisma/client';

/**
 * The Prisma client, connected at start-up (a failure stops the app) and closed on shutdown. Its
 * pool is ours, so every lost connection is handled and counted (see ConnectionFaults).
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(connection: DatabaseConnection, faults: ConnectionFaults) {
    const pool = createDatabasePool('prisma', faults, { connectionString: connection.url });
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  /** Round trip used by readiness checks. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
