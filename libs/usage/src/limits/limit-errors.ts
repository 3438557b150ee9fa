import { DomainError } from '@maas/errors';

/** Over a per-minute rate or the concurrency limit: try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 'RATE_LIMITED', message);
  }
}

/** A quota used up for its period: says which, and when it resets. */
export class QuotaExceededError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 'QUOTA_EXCEEDED', message);
  }
}
