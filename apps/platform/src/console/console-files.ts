import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build` puts the console (apps/console, built by Vite): dist/console under the workspace root. */
export const CONSOLE_DIRECTORY = join(workspaceRoot(__dirname), 'dist/console');

/** The nearest directory above `from` holding nx.json (the same from dist/ and from the sources under test). */
function workspaceRoot(from: string): string {
  for (let directory = from; directory !== dirname(directory); directory = dirname(directory)) if (existsSync(join(directory, 'nx.json'))) return directory;
  return process.cwd();
}

/**
 * Serves the built web console at `/` (index.html) and `/assets/*` (hashed, cached for a year),
 * on the same origin as the API. The console routes in the URL fragment, so no fallback route is
 * needed and unknown paths still get the API's JSON 404.
 */
@Injectable()
export class ConsoleFiles implements OnModuleInit {
  private readonly logger = new Logger('Console');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    if (!existsSync(join(CONSOLE_DIRECTORY, 'index.html'))) {
      this.logger.warn(`the web console is not built (no ${CONSOLE_DIRECTORY}/index.html): run npm run build`);
      return;
    }
    await fastify.register(fastifyStatic, {
      root: CONSOLE_DIRECTORY,
      wildcard: false,
      // Vite names assets by content hash: they never change; index.html names the current ones.
      setHeaders: (reply, path) => void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
}

@Module({ providers: [ConsoleFiles] })
export class ConsoleModule {}
