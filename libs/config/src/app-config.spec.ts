import { describe, expect, it } from 'vitest';
import { AppConfig } from './app-config';
import { ConfigError } from './config-error';

function failureOf(environment: Record<string, string>): string {
  try {
    AppConfig.fromEnvironment(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('AppConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = AppConfig.fromEnvironment({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.maas$/);
    expect(config.device).toBe('auto');
  });

  it('reads typed values', () => {
    const config = AppConfig.fromEnvironment({ PORT: '8080', DATABASE_URL: 'postgresql://u@h:5432/d', MAAS_DEVICE: 'cpu' });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://u@h:5432/d');
    expect(config.device).toBe('cpu');
  });

  it('treats an empty value as unset', () => {
    expect(AppConfig.fromEnvironment({ PORT: '' }).port).toBe(3000);
  });

  it('names the variable and the expectation for a malformed port', () => {
    expect(failureOf({ PORT: 'eighty' })).toBe(
      'Invalid configuration: PORT must be an integer port between 0 and 65535 (got "eighty")',
    );
    expect(failureOf({ PORT: '70000' })).toContain('PORT must be an integer port between 0 and 65535');
  });

  it('rejects a database URL that is not PostgreSQL', () => {
    expect(failureOf({ DATABASE_URL: 'mysql://x' })).toBe(
      'Invalid configuration: DATABASE_URL must be a PostgreSQL URL such as postgresql://user@host:5432/db (got "<redacted>")',
    );
  });

  it('rejects a master key of the wrong length without echoing it', () => {
    const message = failureOf({ MAAS_MASTER_KEY: Buffer.alloc(16).toString('base64') });
    expect(message).toContain('MAAS_MASTER_KEY must be 32 random bytes encoded as base64');
    expect(message).not.toContain(Buffer.alloc(16).toString('base64'));
  });

  it('rejects an unknown enum value with the allowed ones', () => {
    expect(failureOf({ MAAS_DEVICE: 'tpu' })).toBe(
      'Invalid configuration: MAAS_DEVICE must be one of auto, cpu, cuda (got "tpu")',
    );
  });

  it('takes a model worker nice value from 0 to 19, 5 unless told', () => {
    expect(AppConfig.fromEnvironment({}).modelWorkerNice).toBe(5);
    expect(AppConfig.fromEnvironment({ MAAS_MODEL_WORKER_NICE: '0' }).modelWorkerNice).toBe(0);
    expect(failureOf({ MAAS_MODEL_WORKER_NICE: '20' })).toBe(
      'Invalid configuration: MAAS_MODEL_WORKER_NICE must be a whole number from 0 (the process priority) to 19 (the lowest) (got "20")',
    );
  });

  it('keeps a message on one line', () => {
    expect(failureOf({ MAAS_MAX_UPLOAD_BYTES: '-1' })).not.toContain('\n');
  });
});
