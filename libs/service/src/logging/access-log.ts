import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pino from 'pino';
import { replySerializer, requestSerializer } from './root-logger';

const INFO = pino.levels.values.info;

interface PinoInternals {
  [pino.symbols.streamSym]: { write(line: string): void; [pino.symbols.needsMetadataGsym]?: boolean };
  [pino.symbols.chindingsSym]: string;
  [pino.symbols.timeSym]: () => string;
}

/**
 * Fastify's request logging, one line per answered request instead of two ("incoming request" and
 * "request completed"): the request's id, method, URL, status and duration (headers are never
 * logged, so no credential can be).
 *
 * A served request's line is written to the logger's stream as pino would write it, from a template:
 * pino's own path (serializers, then a generic stringify of the nested objects) was ~7 % of the
 * inference route's CPU and 10 % of its allocations. The template carries pino's level, time and
 * bindings; it knows no redaction, formatters or mixins (the root logger has none: root-logger.ts),
 * and a stream that wants pino's metadata (multistream) gets the line through pino instead.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    const logger = reply.log as unknown as pino.Logger & PinoInternals;
    if (!logger.isLevelEnabled('info')) return;
    const stream = logger[pino.symbols.streamSym];
    if (stream[pino.symbols.needsMetadataGsym]) return reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    const fields = `"req":${JSON.stringify(requestSerializer(request))},"res":${JSON.stringify(replySerializer(reply))},"responseTime":${reply.elapsedTime}`;
    stream.write(`{"level":${INFO}${logger[pino.symbols.timeSym]()}${logger[pino.symbols.chindingsSym]},${fields},"msg":"request completed"}\n`);
  }
}
