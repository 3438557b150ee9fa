export { AppConfig } from './app-config';
export { ConfigError } from './config-error';
export { ConfigModule } from './config.module';
