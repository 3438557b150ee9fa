import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const UNTYPED_BODY = 'acceptsUntypedBody';

/**
 * Marks a route that takes a body sent without Content-Type, handed over as the request stream.
 * Triton's Python client sends inference requests that way (JSON, or JSON followed by binary
 * tensors), so the KServe routes must accept them.
 */
export const AcceptsUntypedBody = () => RouteConfig(UNTYPED_BODY_ROUTE_CONFIG);

/** The same, as the `config` of a route registered on Fastify directly. */
export const UNTYPED_BODY_ROUTE_CONFIG = { [UNTYPED_BODY]: true };

/**
 * The parser of last resort: a body without Content-Type reaches the routes that accept one; any
 * other body without a parser is refused with a message naming what to send (Fastify's own says
 * only "Unsupported Media Type"). No route takes text/plain, so Fastify's parser for it goes too:
 * a JSON route would otherwise validate a string and answer with puzzling field errors.
 */
export function acceptUntypedBodies(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (request, payload, done) => {
    const contentType = request.headers['content-type'];
    if (contentType === undefined && acceptsUntypedBody(request)) return done(null, payload);
    const error = new Error(
      contentType === undefined
        ? 'The request has a body but no Content-Type header: send Content-Type: application/json'
        : `Content-Type "${contentType}" is not accepted here: send application/json (model uploads also take application/octet-stream, multipart/form-data, application/zip or application/x-tar; datasets text/csv or application/x-ndjson)`,
    ) as Error & { statusCode: number };
    error.statusCode = 415;
    done(error, undefined);
  });
}

function acceptsUntypedBody(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[UNTYPED_BODY] === true;
}
