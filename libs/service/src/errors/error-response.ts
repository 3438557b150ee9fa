import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseUnavailable, isDatabaseUnavailable, Prisma } from '@maas/db';
import { DomainError, ErrorKind } from '@maas/errors';
import { codeForStatus } from './error-codes';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ErrorResponse {
  status: number;
  code: string;
  message: string;
  /** Set for unexpected errors: the id under which the details were logged. */
  errorId?: string;
  /** Sent as `Retry-After` (seconds) with 503 and 429 answers. */
  retryAfterSeconds?: number;
}

/** A 503 whose cause does not say how long it lasts: ask for a retry after a second. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Turns anything thrown into the status, code and message a client sees. */
export function toErrorResponse(error: unknown): ErrorResponse {
  // A raw driver or socket error that means "the database is away" answers like DatabaseUnavailable.
  if (!(error instanceof DomainError) && isDatabaseUnavailable(error)) return toErrorResponse(new DatabaseUnavailable(error));
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    return { status, code: error.code, message: error.message, retryAfterSeconds: retryAfterFor(status, error) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: codeForStatus(status), message: messageOf(error) };
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return { status: HttpStatus.CONFLICT, code: 'CONFLICT', message: `A resource with the same ${uniqueFields(error)} already exists` };
  }
  const errorId = randomUUID();
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: `Internal error (reference ${errorId})`, errorId };
}

function retryAfterFor(status: number, error: DomainError): number | undefined {
  const stated = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof stated === 'number') return stated;
  return status === HttpStatus.SERVICE_UNAVAILABLE ? DEFAULT_RETRY_AFTER_SECONDS : undefined;
}

/** ValidationPipe puts a list of messages in the response body; Nest's own exceptions a string. */
function messageOf(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

function uniqueFields(error: Prisma.PrismaClientKnownRequestError): string {
  const target = (error.meta as { target?: unknown } | undefined)?.target;
  return Array.isArray(target) ? target.join(', ') : 'identity';
}
