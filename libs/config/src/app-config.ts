import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { configSchema, RawConfig } from './config.schema';

/** Variables whose values are secrets: their values never appear in an error message. */
const SECRET_VARIABLES = new Set(['MAAS_MASTER_KEY', 'MAAS_NEW_MASTER_KEY', 'MAAS_METRICS_TOKEN', 'DATABASE_URL', 'REDIS_URL']);

type Environment = Record<string, string | undefined>;

/**
 * The validated, typed configuration. Built once from the environment at start-up
 * (`AppConfig.fromEnvironment`); nothing else in the code base reads `process.env`.
 */
export class AppConfig {
  private constructor(private readonly raw: RawConfig) {}

  static fromEnvironment(environment: Environment = process.env): AppConfig {
    const parsed = configSchema.safeParse(withoutEmptyValues(environment));
    if (parsed.success) return new AppConfig(parsed.data);
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0]);
    const received = environment[variable];
    throw new ConfigError(variable, issue.message, SECRET_VARIABLES.has(variable) ? received && '<redacted>' : received);
  }

  get nodeEnv() { return this.raw.NODE_ENV; }
  get host() { return this.raw.HOST; }
  get port() { return this.raw.PORT; }
  get logLevel() { return this.raw.LOG_LEVEL; }
  /** Set when the operator runs their own PostgreSQL; absent means the embedded default. */
  get databaseUrl() { return this.raw.DATABASE_URL; }
  get dataDir() { return resolve(this.raw.MAAS_DATA_DIR); }
  get masterKey() { return this.raw.MAAS_MASTER_KEY; }
  /** Only `npm run keys:rotate` reads it: the master key to rotate to. */
  get newMasterKey() { return this.raw.MAAS_NEW_MASTER_KEY; }
  get redisUrl() { return this.raw.REDIS_URL; }
  get device() { return this.raw.MAAS_DEVICE; }
  get maxUploadBytes() { return this.raw.MAAS_MAX_UPLOAD_BYTES; }
  get modelCacheBytes() { return this.raw.MAAS_MODEL_CACHE_BYTES; }
  get artifactCacheBytes() { return this.raw.MAAS_ARTIFACT_CACHE_BYTES; }
  /** Largest JSON or binary inference body (uploads have their own limit). */
  get maxRequestBytes() { return this.raw.MAAS_MAX_REQUEST_BYTES; }
  /** Shared worker threads hosting the sessions of every small model (the thread count does not grow with models). */
  get modelWorkers() { return this.raw.MAAS_MODEL_WORKERS; }
  get imageDecoders() { return this.raw.MAAS_IMAGE_DECODERS; }
  /** Models larger than this get worker threads of their own. */
  get dedicatedWorkerBytes() { return this.raw.MAAS_DEDICATED_WORKER_BYTES; }
  /** Sessions per loaded model, on distinct workers (its batcher's executors), and ONNX Runtime intra-op threads in each. */
  get workersPerModel() { return this.raw.MAAS_WORKERS_PER_MODEL; }
  get threadsPerWorker() { return this.raw.MAAS_THREADS_PER_WORKER; }
  /** Nice value of the model worker threads (Linux), below the event loop's priority. */
  get modelWorkerNice() { return this.raw.MAAS_MODEL_WORKER_NICE; }
  get inferTimeoutMs() { return this.raw.MAAS_INFER_TIMEOUT_MS; }
  /** Bearer token for /metrics; without it only loopback clients may read metrics. */
  get metricsToken() { return this.raw.MAAS_METRICS_TOKEN; }
  /** Lifetime of a console session token. */
  get sessionTtlSeconds() { return this.raw.MAAS_SESSION_TTL_SECONDS; }
  /** How long a verified API key is trusted without a database read (revocations evict at once). */
  get apiKeyCacheMs() { return this.raw.MAAS_API_KEY_CACHE_MS; }
  /** Login attempts allowed per minute for one email, and from one address. */
  get loginAttemptsPerEmail() { return this.raw.MAAS_LOGIN_ATTEMPTS_PER_EMAIL; }
  get loginAttemptsPerIp() { return this.raw.MAAS_LOGIN_ATTEMPTS_PER_IP; }
  /** On SIGTERM, how long requests in flight may take to finish before their connections are cut. */
  get shutdownDrainMs() { return this.raw.MAAS_SHUTDOWN_DRAIN_MS; }
  /** Longest a request may take to arrive whole (a body that trickles in is cut off after it). */
  get requestTimeoutMs() { return this.raw.MAAS_REQUEST_TIMEOUT_MS; }
  /** Longest the request line and headers may take to arrive (never more than the request timeout). */
  /** What this trainer process does: serve the training API, run training workers, or both (npm start). */
  get trainerRole() { return this.raw.MAAS_TRAINER_ROLE; }
  /** Training jobs one worker process runs at once (each in a child process of its own). */
  get trainingConcurrency() { return this.raw.MAAS_TRAINING_CONCURRENCY; }
  /** Runs of a job that crashed (its process died) before it is marked failed; each resumes from its last checkpoint. */
  get trainingAttempts() { return this.raw.MAAS_TRAINING_ATTEMPTS; }
  /** Per-epoch checkpoints kept per job (older ones are deleted). */
  get trainingCheckpointsKept() { return this.raw.MAAS_TRAINING_CHECKPOINTS_KEPT; }
  /** A worker holds a job's lock this long between renewals; a job whose worker died is picked up again after it. */
  get trainingLockMs() { return this.raw.MAAS_TRAINING_LOCK_MS; }
  /** Operator overrides of plan limits and prices (MAAS_PLAN_LIMITS), by plan. */
  get planLimits(): Partial<Record<'FREE' | 'PRO' | 'ENTERPRISE', Record<string, number>>> { return this.raw.MAAS_PLAN_LIMITS ?? {}; }
  /** Per-minute usage rows older than this are deleted (hourly). */
  get usageRetentionDays() { return this.raw.MAAS_USAGE_RETENTION_DAYS; }
  /** `off` admits every inference request (usage is still metered): a single-tenant install, or a benchmark's reference. */
  get rateLimitsEnabled() { return this.raw.MAAS_RATE_LIMITS === 'on'; }
  get headersTimeoutMs() { return Math.min(this.raw.MAAS_HEADERS_TIMEOUT_MS, this.raw.MAAS_REQUEST_TIMEOUT_MS); }
}

/** An empty variable (`PORT=`) means "not set", as in most shells' and Compose's convention. */
function withoutEmptyValues(environment: Environment): Environment {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
}
