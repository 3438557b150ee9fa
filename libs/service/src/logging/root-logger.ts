import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@maas/config';

/**
 * What a request line says about the request: never its headers, so no credential (Authorization,
 * X-API-Key, Cookie) can reach a log, and nothing to redact on the hot path.
 */
const requestSerializer = (request: FastifyRequest) => ({ id: request.id, method: request.method, url: request.url, remoteAddress: request.ip });
const replySerializer = (reply: FastifyReply) => ({ statusCode: reply.statusCode });

/**
 * The app's one pino logger: Fastify logs each request through it (see access-log.ts) and Nest's
 * logs go to it too (nestjs-pino). Lines go to stdout asynchronously: while one write is under way
 * the next lines gather into the following one (up to 4 KiB), so a loaded server makes a write per
 * few lines, not one per line; the rest is flushed at exit. (A larger minimum write costs more than
 * it saves: sonic-boom measures its whole pending string on every line.)
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, serializers: { req: requestSerializer, res: replySerializer, err: pino.stdSerializers.err } };
  if (destination) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, maxWrite: 4096 });
  process.once('exit', () => stdout.flushSync());
  return pino(options, stdout);
}
