import { UnauthorizedException } from '@nestjs/common';
import type { Strategy } from 'passport-strategy';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs one Passport strategy on a request by Passport's own protocol (an `Object.create` of the
 * strategy given `success`/`fail`/`error`, then `authenticate`), without `passport.authenticate`'s
 * per-request machinery. A strategy that decides synchronously (a cached API key) yields a plain
 * value, so the hot path creates no promise at all.
 */
export function runStrategy<T>(strategy: Strategy, request: unknown, describeFailure: (challenge: unknown) => string = messageOf): T | Promise<T> {
  let outcome: Outcome<T> | undefined;
  let settle: ((result: Outcome<T>) => void) | undefined;
  const finish = (result: Outcome<T>) => {
    if (outcome) return;
    outcome = result;
    settle?.(result);
  };
  const attempt = Object.create(strategy) as { authenticate: Strategy['authenticate'] } & Record<string, unknown>;
  attempt.success = (user: T) => finish({ ok: true, value: user });
  attempt.fail = (challenge?: unknown) => finish({ ok: false, error: new UnauthorizedException(describeFailure(challenge)) });
  attempt.error = (error: unknown) => finish({ ok: false, error });
  attempt.pass = () => finish({ ok: false, error: new UnauthorizedException('Missing credentials') });
  attempt.redirect = () => finish({ ok: false, error: new UnauthorizedException('Redirecting authentication is not supported') });
  attempt.authenticate(request as never, {});
  if (outcome) return unwrap(outcome);
  return new Promise<T>((resolve, reject) => {
    settle = (result) => (result.ok ? resolve(result.value) : reject(result.error));
  });
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

function messageOf(challenge: unknown): string {
  if (typeof challenge === 'string') return challenge;
  const message = (challenge as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? message : 'Invalid credentials';
}
