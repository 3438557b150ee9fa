import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@maas/config';
import { BatchedLines } from './batched-lines';

/**
 * What a request line says about the request: never its headers, so no credential (Authorization,
 * X-API-Key, Cookie) can reach a log, and nothing to redact on the hot path.
 */
export const requestSerializer = (request: FastifyRequest) => ({ id: request.id, method: request.method, url: request.url, remoteAddress: request.ip });
export const replySerializer = (reply: FastifyReply) => ({ statusCode: reply.statusCode });

/** Lines gather into writes of ~16 KiB; an idle server still writes what it has within this. */
const FLUSH_EVERY_MS = 1_000;

/**
 * The app's one pino logger: Fastify logs each request through it (see access-log.ts) and Nest's
 * logs go to it too (nestjs-pino). Lines to stdout gather into ~16 KiB synchronous writes
 * (BatchedLines), flushed every second and at exit: a write per line or pino's asynchronous mode
 * (whose writes go through libuv's thread pool) cost 5.5–6.4 µs per line here. A process killed by a
 * signal it cannot catch loses at most the last second's lines.
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, serializers: { req: requestSerializer, res: replySerializer, err: pino.stdSerializers.err } };
  if (destination) return pino(options, destination);
  const stdout = new BatchedLines(pino.destination({ dest: 1, sync: true, minLength: 0 }));
  setInterval(() => stdout.flush(), FLUSH_EVERY_MS).unref();
  process.once('exit', () => stdout.flushSync());
  return pino(options, stdout);
}
