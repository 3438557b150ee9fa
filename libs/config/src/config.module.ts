import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { MasterKey } from './master-key';

/** Provides the one `AppConfig` and the master key to every module. Apps pass the config they validated at start-up. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: MasterKey, useFactory: () => MasterKey.load(config) },
      ],
      exports: [AppConfig, MasterKey],
    };
  }
}
