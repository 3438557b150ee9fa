import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Reads a generated secret from a file only the owner can read, creating it on first use.
 * Returns whether it was created, so the caller can warn once.
 */
export async function readOrCreateSecretFile(path: string, bytes: number): Promise<{ secret: string; created: boolean }> {
  try {
    return { secret: (await readFile(path, 'utf8')).trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(bytes).toString('base64');
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return { secret, created: true };
}
