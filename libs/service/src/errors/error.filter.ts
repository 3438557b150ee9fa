import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
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
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception);
    if (response.errorId) this.logger.error({ err: exception, errorId: response.errorId }, 'unhandled error');
    const isInferenceProtocol = request.url === INFERENCE_PROTOCOL_PREFIX || request.url.startsWith(`${INFERENCE_PROTOCOL_PREFIX}/`);
    const body = isInferenceProtocol ? { error: response.message } : { error: { code: response.code, message: response.message } };
    void reply.status(response.status).send(body);
  }
}
