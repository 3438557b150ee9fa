import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBaseLogger } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@maas/config';
import { ErrorFilter } from '../errors/error.filter';
import { acceptRawBodies } from '../http/raw-bodies';
import { parseJsonBodies } from '../http/json-bodies';
import { inflateRequestBodies } from '../http/request-decompression';
import { acceptUntypedBodies } from '../http/untyped-bodies';
import { closeConnectionsWhileDraining } from '../lifecycle/connection-draining';
import { OneLinePerRequest } from '../logging/access-log';
import { echoRequestId, requestIdFor } from '../logging/request-id';
import { createRootLogger } from '../logging/root-logger';
import { serveOpenApi } from '../openapi/openapi';
import { PlatformFastifyAdapter } from './platform-fastify-adapter';
import { ServiceOptions, ServiceRootModule } from './service-root.module';
import { keepShortLivedObjectsYoung } from './young-generation-objects';

/** Builds an app on Fastify with the platform's logging, validation, errors and OpenAPI. Not listening yet. */
export async function createHttpApp(config: AppConfig, options: ServiceOptions): Promise<NestFastifyApplication> {
  keepShortLivedObjectsYoung();
  const logger = createRootLogger(config, options.logDestination);
  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceRootModule.forRoot(config, { ...options, logger }),
    new PlatformFastifyAdapter({
      loggerInstance: logger,
      logController: new OneLinePerRequest(),
      // No child logger per request (pino builds one with its bindings each time): each line names its request itself.
      childLoggerFactory: (parent: FastifyBaseLogger) => parent,
      trustProxy: true,
      genReqId: requestIdFor,
      bodyLimit: config.maxRequestBytes,
      // Fastify's default is no limit at all: a client trickling a body would hold its socket forever.
      requestTimeout: config.requestTimeoutMs,
      // Node checks those deadlines every connectionsCheckingInterval (30 s by default).
      http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  echoRequestId(app.getHttpAdapter().getInstance());
  closeConnectionsWhileDraining(app.getHttpAdapter().getInstance());
  inflateRequestBodies(app.getHttpAdapter().getInstance());
  acceptRawBodies(app.getHttpAdapter().getInstance());
  acceptUntypedBodies(app.getHttpAdapter().getInstance());
  parseJsonBodies(app, config.maxRequestBytes);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const errorFilter = new ErrorFilter(await app.resolve(PinoLogger));
  app.useGlobalFilters(errorFilter);
  errorFilter.handleFastifyErrors(app.getHttpAdapter().getInstance());
  serveOpenApi(app, options.title);
  return app;
}
