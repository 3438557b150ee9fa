import type { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startDraining } from './connection-draining';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** How long the server goes on answering (with `Connection: close`) before it stops accepting. */
const CONNECTION_CLOSE_GRACE_MS = 500;

/**
 * SIGTERM or SIGINT: stop accepting connections and let the requests in flight finish (at most
 * `drainMs`, then their connections are cut), then close the app — buffered usage flushed, model
 * workers and pools closed, an embedded PostgreSQL stopped last — and exit 0. A second signal exits at
 * once. Nest's own `close()` runs the modules' destroy hooks *before* it closes the HTTP server, which
 * answered requests still in flight with errors; so the server is drained first, here.
 */
export function closeGracefullyOnSignals(app: NestFastifyApplication, logger: Logger, drainMs: number): void {
  let closing = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (closing) {
        logger.warn(`${signal} received again: exiting now`);
        process.exit(1);
      }
      closing = true;
      logger.log(`${signal} received: draining requests in flight (up to ${drainMs} ms), then shutting down`);
      shutDown(app, drainMs).then(
        () => process.exit(0),
        (error: Error) => {
          logger.error(`shutdown failed: ${error.message}`);
          process.exit(1);
        },
      );
    });
  }
}

async function shutDown(app: NestFastifyApplication, drainMs: number): Promise<void> {
  await drainHttpServer(app, drainMs);
  await app.close();
}

/**
 * First a short grace during which answers carry `Connection: close` (requests already on the wire
 * are served, and clients leave their kept-alive sockets). Then Fastify's `close()` stops accepting,
 * answers requests that still arrive on kept-alive connections with 503 and `Connection: close`, and
 * resolves once every request in flight has been answered.
 */
async function drainHttpServer(app: NestFastifyApplication, drainMs: number): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  startDraining(fastify);
  await new Promise((resolve) => setTimeout(resolve, Math.min(CONNECTION_CLOSE_GRACE_MS, drainMs)));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      fastify.server.closeAllConnections();
      resolve();
    }, drainMs);
  });
  await Promise.race([fastify.close(), deadline]);
  clearTimeout(timer);
}
