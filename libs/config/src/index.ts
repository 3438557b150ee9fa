export { AppConfig } from './app-config';
export { ConfigError } from './config-error';
export { ConfigModule } from './config.module';
export { MasterKey } from './master-key';
export { readOrCreateSecretFile } from './secret-file';
