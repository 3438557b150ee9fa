import { DomainError } from '@maas/errors';

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** SQLSTATEs PostgreSQL sends while it shuts down, starts or refuses connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

/** Socket errors of a server that is not there (refused, reset, unreachable, timed out). */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** Messages node-postgres writes without a code when a connection goes or never comes. */
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection ended/i, /client has encountered a connection error/i, /cannot use a pool after calling end/i, /database system is (starting up|shutting down|in recovery mode)/i];

/** Prisma's own codes for "cannot reach / lost the server". */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** The database could not be reached: answered 503 with `Retry-After`, never 500. */
export class DatabaseUnavailable extends DomainError {
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;

  constructor(cause?: unknown) {
    super('unavailable', 'DATABASE_UNAVAILABLE', 'The database is unavailable right now; the request was not carried out. Retry shortly.');
    this.cause = cause;
  }
}

/**
 * Whether an error means "the database is not reachable now" rather than "this query is wrong".
 * Errors come wrapped differently through Prisma's driver adapter, node-postgres and sockets, so
 * the error and its causes are all inspected.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof DatabaseUnavailable) return true;
    if (matchesUnavailable(current as Record<string, unknown>)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function matchesUnavailable(error: Record<string, unknown>): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code))) return true;
  // Prisma's driver-adapter errors carry the original error's fields under `cause` or `originalCode`.
  const original = typeof error.originalCode === 'string' ? error.originalCode : undefined;
  if (original && (UNAVAILABLE_SQLSTATES.has(original) || UNAVAILABLE_SOCKET_CODES.has(original))) return true;
  const kind = typeof error.kind === 'string' ? error.kind : undefined;
  if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout' || kind === 'TooManyConnections') return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}
