import type { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { inject } from 'vitest';
import { AppConfig, ConfigModule } from '@maas/config';
import { DatabaseModule } from '@maas/db';

/** Lib-level Nest modules on this run's test database, without HTTP. */
export async function startTestModule(modules: Type[], environment: Record<string, string> = {}): Promise<TestingModule> {
  const config = AppConfig.fromEnvironment({ DATABASE_URL: inject('databaseUrl'), MAAS_DATA_DIR: inject('dataDir'), MAAS_MASTER_KEY: TEST_MASTER_KEY, ...environment });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), DatabaseModule, ...modules] }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** A fixed master key for tests (never used outside them). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

