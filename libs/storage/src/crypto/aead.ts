import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** AES-256-GCM with a fresh random nonce; the tag is appended to the ciphertext. */
export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): { nonce: Buffer; ciphertext: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce);
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/** Opens what `seal` produced; throws if the key, nonce, data or associated data differ in any bit. */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, nonce);
  decipher.setAAD(associatedData);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
  const plaintext = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES));
  // final() checks the tag; for GCM it yields no bytes, so the plaintext is not copied again.
  const rest = decipher.final();
  return rest.byteLength === 0 ? plaintext : Buffer.concat([plaintext, rest]);
}
