import { Algorithm, hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes, 1 lane). */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

// Verifying against this when the email is unknown keeps both answers equally slow.
const UNKNOWN_USER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$GKqcf66nntF5EWOrFWU4Sw$i2NLKjd9W2sErcb/XlKUu5bPeZJpKEB/HozkfxIrHUY';

export async function passwordMatches(password: string, storedHash: string | null | undefined): Promise<boolean> {
  const matches = await verify(storedHash ?? UNKNOWN_USER_HASH, password).catch(() => false);
  return matches && Boolean(storedHash);
}
