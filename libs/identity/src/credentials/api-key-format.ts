import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'mk_';
const PUBLIC_ID_LENGTH = 16;
const KEY_PATTERN = /^mk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A freshly minted key: `plaintext` is shown to its owner once and never stored. */
export interface MintedApiKey {
  plaintext: string;
  publicId: string;
  secretHash: Buffer;
}

/**
 * `mk_<publicId>_<secret>`: the public id (8 random bytes, hex) is stored and indexed for lookup;
 * the secret (32 random bytes, base64url) is stored only as its SHA-256. A slow hash would add
 * nothing for 256 bits of entropy and cost every request (argon2id is for passwords).
 */
export function mintApiKey(): MintedApiKey {
  const publicId = randomBytes(PUBLIC_ID_LENGTH / 2).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { plaintext: `${PREFIX}${publicId}_${secret}`, publicId, secretHash: hashSecret(secret) };
}

export function parseApiKey(candidate: string): { publicId: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(candidate);
  return match ? { publicId: match[1], secret: match[2] } : undefined;
}

export function looksLikeApiKey(candidate: string): boolean {
  return candidate.startsWith(PREFIX);
}

export function displayPrefix(publicId: string): string {
  return `${PREFIX}${publicId}`;
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const hash = hashSecret(secret);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}

/** One-shot SHA-256 (`crypto.hash`, Node ≥ 20.12): no Hash object per request on the hot path. */
function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer') as Buffer;
}
