import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@maas/config';
import type { Principal } from '@maas/identity';
import { Admission, UsageLimits } from '@maas/usage';

const ADMIT_ALL: Admission = { headers: {}, release: () => undefined };

/**
 * Holds an inference request to the tenant's plan (UsageLimits): the RateLimit fields go on the
 * answer, a refusal throws (a 429 with Retry-After, its RateLimit fields set), and the request's
 * place in the concurrency limit is given back when it ends, however it ends. A plain call from the controllers rather than a
 * Nest interceptor: the interceptor's observable pipeline cost the hot path ~20% of its throughput.
 */
@Injectable()
export class InferenceAdmission {
  constructor(
    private readonly limits: UsageLimits,
    private readonly config: AppConfig,
  ) {}

  /** Runs `handle` within the plan's limits; a known tenant with tokens at hand is admitted without a promise. */
  within<T>(principal: Principal, reply: FastifyReply, handle: () => Promise<T>): Promise<T> {
    let admission: Admission | Promise<Admission>;
    try {
      admission = this.admit(principal);
    } catch (error) {
      return Promise.reject(refused(reply, error));
    }
    if (admission instanceof Promise) return admission.then((admitted) => this.run(admitted, reply, handle), (error: unknown) => Promise.reject(refused(reply, error)));
    return this.run(admission, reply, handle);
  }

  private admit(principal: Principal): Admission | Promise<Admission> {
    if (!this.config.rateLimitsEnabled) return ADMIT_ALL;
    return this.limits.admit(principal.tenantId, principal.apiKeyId);
  }

  private async run<T>(admission: Admission, reply: FastifyReply, handle: () => Promise<T>): Promise<T> {
    void reply.headers(admission.headers);
    try {
      return await handle();
    } finally {
      admission.release();
    }
  }
}

/** A refusal carries its RateLimit fields onto the 429. */
function refused(reply: FastifyReply, error: unknown): unknown {
  const headers = (error as { headers?: Record<string, string> }).headers;
  if (headers) void reply.headers(headers);
  return error;
}
