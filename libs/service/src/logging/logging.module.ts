import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '@maas/config';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Headers whose values are credentials: pino replaces them before a line is written. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/**
 * Structured JSON logs (pino), one line per request with its request id. A caller's
 * `X-Request-Id` is kept (trimmed to a sane length), else one is generated and echoed back.
 */
@Module({})
export class LoggingModule {
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              genReqId: assignRequestId,
              customProps: () => ({}),
              stream: destination,
              autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health/') },
            },
          }),
        }),
      ],
    };
  }
}

function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
