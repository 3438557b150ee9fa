import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `prisma/` folder of the project. Found by walking up from this file, so the same code works
 * from `libs/db/src` (tests) and from `dist/libs/db/src` (built apps), whatever the working directory.
 */
export function locatePrismaDirectory(start: string = __dirname): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, 'prisma', 'schema.prisma');
    if (existsSync(candidate)) return join(directory, 'prisma');
    if (dirname(directory) === directory) {
      throw new Error(`Cannot find prisma/schema.prisma above ${start}; the platform must run from its project folder`);
    }
  }
}
