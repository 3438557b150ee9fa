import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The compiled JavaScript of an entry script (a child process or worker thread) beside the caller,
 * or — when the caller runs from TypeScript sources, as in tests — its build output under dist/.
 */
export function compiledEntry(directory: string, fileName: string): string {
  const beside = join(directory, fileName);
  if (existsSync(beside)) return beside;
  const built = beside.replace(/([/\\])libs([/\\])([a-z-]+)([/\\])src([/\\])/, '$1dist$1libs$2$3$4src$5');
  if (existsSync(built)) return built;
  throw new Error(`${fileName} is not built: run \`npm run build\` (looked for ${built})`);
}
