import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBodyParser, FastifyRequest } from 'fastify';

const JSON_AS_BYTES = 'jsonBodyAsBytes';

/**
 * The `config` of a route that takes its JSON body as the bytes that arrived (a Buffer, within the
 * body limit, inflated if compressed) and parses it elsewhere: the KServe inference routes, whose
 * bodies the model hosts decode off the HTTP thread. An empty body is still refused here.
 */
export const JSON_BODY_AS_BYTES_ROUTE_CONFIG = { [JSON_AS_BYTES]: true };

/**
 * JSON bodies through Fastify's own parser (secure-json-parse, refusing `__proto__` and
 * `constructor` keys as Nest's default does), built once. Nest's default JSON parser asks Fastify
 * for a new parser on every request; on the inference routes that was 5 % of all the bytes the
 * main thread allocated.
 */
export function parseJsonBodies(app: NestFastifyApplication, bodyLimit: number): void {
  // Typed for a string body; secure-json-parse reads the Buffer Nest hands it just as well.
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as unknown as FastifyBodyParser<Buffer>;
  const parser: FastifyBodyParser<Buffer> = (request, body, done) => {
    if (body.byteLength > 0 && takesJsonAsBytes(request)) return done(null, body);
    return parseJson.call(fastify, request, body, done);
  };
  app.useBodyParser('application/json', { bodyLimit }, parser);
}

function takesJsonAsBytes(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[JSON_AS_BYTES] === true;
}
