import { createHash } from 'node:crypto';
import type { MasterKey } from '@maas/config';
import { NONCE_BYTES, open, seal } from '../crypto/aead';

/**
 * Data keys (DEKs) wrapped by the key-encryption key (KEK) derived from the master key. The
 * tenant id is bound as associated data so a wrapped key copied to another tenant does not open.
 * `kekId` fingerprints the KEK so a wrong master key is named as such, not as corrupt data.
 */
export class KeyWrapper {
  private readonly kek: Buffer;
  readonly kekId: string;

  constructor(masterKey: MasterKey) {
    this.kek = masterKey.derive('data-key-wrapping');
    this.kekId = createHash('sha256').update(this.kek).digest('hex').slice(0, 16);
  }

  wrap(tenantId: string, dataKey: Uint8Array): Buffer {
    const { nonce, ciphertext } = seal(this.kek, dataKey, Buffer.from(tenantId));
    return Buffer.concat([nonce, ciphertext]);
  }

  unwrap(tenantId: string, wrapped: Uint8Array): Buffer {
    return open(this.kek, wrapped.subarray(0, NONCE_BYTES), wrapped.subarray(NONCE_BYTES), Buffer.from(tenantId));
  }
}
