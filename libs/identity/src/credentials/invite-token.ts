import { hash, randomBytes } from 'node:crypto';

/** A one-time invitation token (`mi_` + 32 random bytes); the database keeps only its SHA-256. */
export function mintInviteToken(): { token: string; tokenHash: Buffer } {
  const token = `mi_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashInviteToken(token) };
}

export function hashInviteToken(token: string): Buffer {
  return hash('sha256', token, 'buffer') as Buffer;
}
