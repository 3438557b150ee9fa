import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every environment variable the platform reads, in one place. Each entry says what it expects
 * so that a wrong value stops start-up with a line a person can act on.
 */
const port = (fallback: number) =>
  z.coerce
    .number({ error: 'an integer port between 0 and 65535' })
    .int('an integer port between 0 and 65535')
    .min(0, 'an integer port between 0 and 65535')
    .max(65535, 'an integer port between 0 and 65535')
    .default(fallback);

const byteCount = (fallback: number) =>
  z.coerce
    .number({ error: 'a positive whole number of bytes' })
    .int('a positive whole number of bytes')
    .positive('a positive whole number of bytes')
    .default(fallback);

/** A thread's nice value: 0 (the process's own priority) up to 19 (the lowest). */
const niceValue = (fallback: number) => {
  const expected = 'a whole number from 0 (the process priority) to 19 (the lowest)';
  return z.coerce.number({ error: expected }).int(expected).min(0, expected).max(19, expected).default(fallback);
};

const positiveInteger = (fallback: number) =>
  z.coerce.number({ error: 'a positive whole number' }).int('a positive whole number').positive('a positive whole number').default(fallback);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'a PostgreSQL URL such as postgresql://user@host:5432/db');

const redisUrl = z.string().regex(/^rediss?:\/\/.+/, 'a Redis URL such as redis://127.0.0.1:6379');

const masterKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), {
    message: '32 random bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
  });

/** Per plan, any of the limits and prices to override, as JSON: {"FREE": {"requestsPerMinute": 1200}}. */
const planLimits = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'JSON such as {"FREE": {"requestsPerMinute": 1200}}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(['FREE', 'PRO', 'ENTERPRISE']), z.record(z.string(), z.number().nonnegative()), { error: 'an object of plans (FREE, PRO, ENTERPRISE) whose values are objects of numbers' }));

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'one of development, production, test' }).default('development'),
  HOST: z.string().min(1, 'a host name or address to listen on').default('0.0.0.0'),
  PORT: port(3000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  DATABASE_URL: postgresUrl.optional(),
  MAAS_DATA_DIR: z.string().min(1, 'a directory path').default('./.maas'),
  MAAS_MASTER_KEY: masterKey.optional(),
  MAAS_NEW_MASTER_KEY: masterKey.optional(),
  REDIS_URL: redisUrl.optional(),
  MAAS_DEVICE: z.enum(['auto', 'cpu', 'cuda'], { error: 'one of auto, cpu, cuda' }).default('auto'),
  MAAS_MAX_UPLOAD_BYTES: byteCount(2 * 1024 ** 3),
  MAAS_MODEL_CACHE_BYTES: byteCount(1024 ** 3),
  /** Disk for sealed local copies of model artifacts (ArtifactFileCache); 0 reads PostgreSQL every time. */
  MAAS_ARTIFACT_CACHE_BYTES: z.coerce
    .number({ error: 'a whole number of bytes, 0 to turn the local copies off' })
    .int('a whole number of bytes, 0 to turn the local copies off')
    .min(0, 'a whole number of bytes, 0 to turn the local copies off')
    .default(4 * 1024 ** 3),
  MAAS_MAX_REQUEST_BYTES: byteCount(256 * 1024 ** 2),
  MAAS_MODEL_WORKERS: positiveInteger(availableParallelism()),
  /** Images decoded at once by predict pipelines: a core is left to the event loop (more starved it under load). */
  MAAS_IMAGE_DECODERS: positiveInteger(Math.max(1, availableParallelism() - 1)),
  MAAS_DEDICATED_WORKER_BYTES: byteCount(64 * 1024 ** 2),
  MAAS_WORKERS_PER_MODEL: positiveInteger(1),
  MAAS_THREADS_PER_WORKER: positiveInteger(1),
  /** The model workers' nice value: the HTTP event loop, which feeds them all, goes first on a busy machine. */
  MAAS_MODEL_WORKER_NICE: niceValue(5),
  MAAS_INFER_TIMEOUT_MS: positiveInteger(30_000),
  MAAS_METRICS_TOKEN: z.string().min(16, 'a token of at least 16 characters').optional(),
  MAAS_SESSION_TTL_SECONDS: positiveInteger(900),
  MAAS_API_KEY_CACHE_MS: positiveInteger(30_000),
  MAAS_LOGIN_ATTEMPTS_PER_EMAIL: positiveInteger(5),
  MAAS_LOGIN_ATTEMPTS_PER_IP: positiveInteger(20),
  MAAS_SHUTDOWN_DRAIN_MS: positiveInteger(20_000),
  MAAS_REQUEST_TIMEOUT_MS: positiveInteger(300_000),
  MAAS_HEADERS_TIMEOUT_MS: positiveInteger(30_000),
  MAAS_TRAINER_ROLE: z.enum(['api', 'worker', 'both'], { error: 'one of api, worker, both' }).default('both'),
  MAAS_TRAINING_CONCURRENCY: positiveInteger(1),
  MAAS_TRAINING_ATTEMPTS: positiveInteger(3),
  MAAS_TRAINING_CHECKPOINTS_KEPT: positiveInteger(5),
  MAAS_TRAINING_LOCK_MS: positiveInteger(30_000),
  MAAS_PLAN_LIMITS: planLimits.optional(),
  MAAS_USAGE_RETENTION_DAYS: positiveInteger(400),
  MAAS_RATE_LIMITS: z.enum(['on', 'off'], { error: 'on or off' }).default('on'),
});

export type RawConfig = z.infer<typeof configSchema>;
