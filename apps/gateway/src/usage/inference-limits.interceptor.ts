import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finalize, from, Observable, switchMap } from 'rxjs';
import type { Principal } from '@maas/identity';
import { UsageLimits } from '@maas/usage';

/**
 * Holds inference routes to the tenant's plan (UsageLimits): the RateLimit headers go on every
 * answer, a refusal is a 429 with Retry-After, and the request's place in the concurrency limit is
 * given back when it ends, however it ends.
 */
@Injectable()
export class InferenceLimitsInterceptor implements NestInterceptor {
  constructor(private readonly limits: UsageLimits) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    const principal = request.user!;
    return from(
      this.limits.admit(principal.tenantId, principal.apiKeyId).catch((error: { headers?: Record<string, string> }) => {
        if (error.headers) void reply.headers(error.headers);
        throw error;
      }),
    ).pipe(
      switchMap((admission) => {
        void reply.headers(admission.headers);
        return next.handle().pipe(finalize(() => admission.release()));
      }),
    );
  }
}
