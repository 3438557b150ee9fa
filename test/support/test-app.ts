import { Writable } from 'node:stream';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inject } from 'vitest';
import { AppConfig } from '@maas/config';
import { createHttpApp } from '@maas/service';
import { TEST_MASTER_KEY } from './test-module';
import { TEST_PLAN_LIMITS } from './test-plan-limits';

export interface TestApp {
  app: NestFastifyApplication;
  /** Every log line the app wrote, for assertions about logging (and secrets not in it). */
  logs: string[];
  request(options: { method?: string; url: string; headers?: Record<string, string>; payload?: unknown }): Promise<{
    statusCode: number;
    headers: Record<string, unknown>;
    json<T = any>(): T;
    body: string;
    rawPayload: Buffer;
  }>;
  close(): Promise<void>;
}

/** Boots app modules in-process against this run's test database, as `main.ts` would, minus the socket. */
export async function startTestApp(modules: Type[], environment: Record<string, string> = {}): Promise<TestApp> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = AppConfig.fromEnvironment({ DATABASE_URL: inject('databaseUrl'), MAAS_DATA_DIR: inject('dataDir'), MAAS_MASTER_KEY: TEST_MASTER_KEY, LOG_LEVEL: 'debug', MAAS_PLAN_LIMITS: TEST_PLAN_LIMITS, MAAS_TRAINING_LOCK_MS: '5000', ...environment });
  const app = await createHttpApp(config, { title: 'MaaS test', modules, logDestination: logDestination as never });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    logs,
    request: (options) => app.inject({ method: (options.method ?? 'GET') as 'GET', url: options.url, headers: options.headers, payload: options.payload as string }) as never,
    close: () => app.close(),
  };
}
