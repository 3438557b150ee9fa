/** One request's answer from the per-minute buckets of its tenant and its key. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left right now in the binding bucket. */
  remaining: number;
  /** Seconds until the binding bucket is full again (the `t` of the RateLimit field). */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed. */
  retryAfterSeconds: number;
  /** When refused: whose bucket was empty. */
  refusedBy?: 'tenant' | 'key';
}

export interface RateRequest {
  tenantId: string;
  apiKeyId: string | undefined;
  ratePerMinute: number;
  burst: number;
}

/**
 * Where the per-minute buckets and the requests in flight are counted: this process's memory
 * (single process) or Redis, shared by every gateway process (`REDIS_URL`).
 */
export interface LimitStore {
  /**
   * Takes one request from the tenant's and the key's buckets; synchronous whenever it can be.
   * Never throws nor rejects: a store whose backend fails decides in memory instead.
   */
  take(request: RateRequest): RateDecision | Promise<RateDecision>;
  /** Counts a request in flight for the tenant unless `limit` are already running; false = refused. */
  enter(tenantId: string, limit: number): boolean;
  leave(tenantId: string): void;
  close(): Promise<void>;
}

export const LIMIT_STORE = Symbol('LimitStore');
