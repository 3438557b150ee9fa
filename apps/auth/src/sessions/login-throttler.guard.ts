import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';

/**
 * Throttles login attempts per email and per client address (two named throttlers, see
 * sessions.module.ts), answering 429 with a plain `Retry-After` that any client understands.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfterSeconds));
    throw new ThrottlerException(`Too many login attempts; retry in ${retryAfterSeconds} seconds`);
  }
}
