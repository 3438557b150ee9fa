import { DynamicModule, Module, Type } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import { AppConfig, ConfigModule } from '@maas/config';
import { DatabaseModule } from '@maas/db';
import { IdentityModule } from '@maas/identity';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';

export interface ServiceOptions {
  /** Shown in logs and the OpenAPI document. */
  title: string;
  /** The app's own root module(s): feature modules from its `src/` or from libs. */
  modules: Type[];
  /** Where log lines go; stdout when absent (tests capture them). */
  logDestination?: DestinationStream;
}

/** The options, with the app's logger built from them (create-http-app.ts). */
export interface ServiceRootOptions extends ServiceOptions {
  logger: Logger;
}

/** What every app has: config, logs, database, identity (authentication on every route) and health, around the app's own modules. */
@Module({})
export class ServiceRootModule {
  static forRoot(config: AppConfig, options: ServiceRootOptions): DynamicModule {
    return {
      module: ServiceRootModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(options.logger), DatabaseModule, IdentityModule, HealthModule, ...options.modules],
    };
  }
}
