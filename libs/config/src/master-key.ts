import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from './app-config';
import { readOrCreateSecretFile } from './secret-file';

const KEY_BYTES = 32;

/**
 * The platform's master key (KEK): from MAAS_MASTER_KEY, else generated once into
 * `<dataDir>/master.key` (mode 0600) with a warning. Other keys are derived from it per purpose,
 * so the raw key never leaves this class and is never logged.
 */
export class MasterKey {
  private static readonly logger = new Logger('MasterKey');

  private constructor(private readonly key: Buffer) {}

  /** A key from its base64 form (the form of MAAS_MASTER_KEY and of master.key). */
  static fromBase64(encoded: string, wrongLengthMessage = 'a master key is 32 bytes encoded as base64'): MasterKey {
    const key = Buffer.from(encoded.trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(wrongLengthMessage);
    return new MasterKey(key);
  }

  static async load(config: AppConfig): Promise<MasterKey> {
    if (config.masterKey) return MasterKey.fromBase64(config.masterKey);
    const path = join(config.dataDir, 'master.key');
    const { secret, created } = await readOrCreateSecretFile(path, KEY_BYTES);
    if (created) MasterKey.logger.warn(`MAAS_MASTER_KEY is not set: generated a master key into ${path}; back it up, and set MAAS_MASTER_KEY when running more than one process`);
    return MasterKey.fromBase64(secret, `${path} does not hold 32 bytes of base64; restore it from your backup or set MAAS_MASTER_KEY`);
  }

  /** A 32-byte key for one purpose (HKDF-SHA-256); different purposes get unrelated keys. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `maas:${purpose}`, KEY_BYTES));
  }

  /** Never let the key reach a log line or a JSON body by accident. */
  toJSON(): string {
    return '[MasterKey]';
  }
}
