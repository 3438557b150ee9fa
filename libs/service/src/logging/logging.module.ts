import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '@maas/config';

/** Headers whose values are credentials: pino replaces them before a line is written. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/**
 * Structured JSON logs (pino), one line per request carrying the request id that Fastify assigned
 * (see request-id.ts), with credentials redacted.
 */
@Module({})
export class LoggingModule {
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            const options = {
              level: config.logLevel,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            };
            return { pinoHttp: destination ? [options, destination] : options, forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] };
          },
        }),
      ],
    };
  }
}
