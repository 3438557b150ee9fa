import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { requestSerializer } from '../logging/root-logger';
import { toErrorResponse } from './error-response';

/** The KServe V2 / Open Inference Protocol routes, whose error body is `{"error": "..."}`. */
const INFERENCE_PROTOCOL_PREFIX = '/v2';

/**
 * The one place errors become HTTP answers: `{"error":{"code","message"}}` on platform routes,
 * `{"error":"..."}` on KServe routes. Unexpected errors are logged with an id and answered
 * without their details.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.render(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /**
   * Errors Fastify raises before a route runs (a body that is not JSON, a multipart limit) take the
   * same path, so a client never sees Fastify's own error shape.
   */
  handleFastifyErrors(fastify: FastifyInstance): void {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      const exception = error.statusCode && error.statusCode < 500 ? new HttpException(error.message, error.statusCode) : error;
      this.render(exception, request, reply);
    });
  }

  private render(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const response = toErrorResponse(exception);
    // The request as the access log shows it, never the request itself: the logger's own `req`
    // serializer (pino-http's, under nestjs-pino) writes every header, credentials included.
    if (response.errorId) this.logger.error({ err: exception, errorId: response.errorId, req: requestSerializer(request) }, 'unhandled error');
    if (response.retryAfterSeconds !== undefined) void reply.header('retry-after', String(response.retryAfterSeconds));
    const isInferenceProtocol = request.url === INFERENCE_PROTOCOL_PREFIX || request.url.startsWith(`${INFERENCE_PROTOCOL_PREFIX}/`);
    if (isInferenceProtocol) {
      // Exactly application/json, no charset (a Buffer keeps Fastify from adding one): KServe's
      // Python client reads the message only then.
      void reply.status(response.status).header('content-type', 'application/json').send(Buffer.from(JSON.stringify({ error: response.message })));
      return;
    }
    void reply.status(response.status).send({ error: { code: response.code, message: response.message } });
  }
}
