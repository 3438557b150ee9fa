import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * Nest's own logs (start-up, services) through the app's pino logger (root-logger.ts). Requests are
 * logged by Fastify (access-log.ts), not by nestjs-pino's pino-http middleware: mounted through
 * @fastify/middie it cost the gateway ~40% of its main-thread time under load, and its
 * AsyncLocalStorage slows every promise of the process on Node 20.
 */
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })] };
  }
}
