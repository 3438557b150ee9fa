import { Logger } from '@nestjs/common';
import { createPostgresBackend, type QueueOptions } from 'bullmq';
import IORedis from 'ioredis';

type BackendFactory = typeof createPostgresBackend;

export interface QueueConnection {
  /** What the queue runs on, for logs and the job object. */
  kind: 'postgres' | 'redis';
  options: Pick<QueueOptions, 'connection' | 'prefix'>;
  /** BullMQ's backend factory: PostgreSQL's, or none for BullMQ's default (Redis). */
  backend?: BackendFactory;
  close(): Promise<void>;
}

/**
 * BullMQ on Redis when REDIS_URL is set (Redis must not evict keys: `maxmemory-policy noeviction`,
 * checked here), else on the platform's own PostgreSQL (BullMQ's PostgreSQL backend, its tables in
 * schema `bullmq`, migrated on connect). The same Queue/Worker code runs on both.
 */
export async function openQueueConnection(databaseUrl: string, redisUrl: string | undefined, logger: Logger): Promise<QueueConnection> {
  const prefix = queuePrefix(databaseUrl);
  if (!redisUrl) return { kind: 'postgres', options: { connection: { connectionString: databaseUrl, migrate: true } as never, prefix }, backend: createPostgresBackend, close: async () => undefined };
  // BullMQ requires maxRetriesPerRequest null: its blocking commands must wait out a reconnect.
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', (error) => logger.warn(`Redis: ${error.message}`));
  await redis.connect();
  await checkEvictionPolicy(redis);
  return { kind: 'redis', options: { connection: redis, prefix }, close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}

/**
 * Jobs belong to the database their rows live in: deployments (or test runs) that share one Redis
 * but not a database must not take each other's jobs, so the queue's key prefix names the database.
 */
function queuePrefix(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `maas:${url.hostname}:${url.port || 5432}:${url.pathname.slice(1)}`;
}

async function checkEvictionPolicy(redis: IORedis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy').catch(() => undefined)) as string[] | undefined;
  const policy = reply?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(`Redis at REDIS_URL has maxmemory-policy "${policy}": BullMQ needs "noeviction" (an evicted key loses a job). Run: redis-cli CONFIG SET maxmemory-policy noeviction`);
  }
}
