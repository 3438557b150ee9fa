import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError } from '@maas/config';
import { closeGracefullyOnSignals } from '../lifecycle/graceful-shutdown';
import { keepRunningOnUncaughtErrors } from '../lifecycle/process-faults';
import { createHttpApp } from './create-http-app';
import type { ServiceOptions } from './service-root.module';

/**
 * The `main.ts` of every app: validate config (a bad value stops here with one line), build the
 * app, listen, print the URL, and on SIGINT/SIGTERM drain and close everything in order before
 * exiting 0. Past start-up, an uncaught error is logged and the process goes on.
 */
export function runService(options: ServiceOptions): void {
  startService(options).catch((error: Error) => {
    process.stderr.write(`${options.title} failed to start: ${error.message}\n`);
    process.exit(1);
  });
}

async function startService(options: ServiceOptions): Promise<void> {
  const config = readConfigOrExit();
  const app = await createHttpApp(config, options);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger(options.title);
  logger.log(`${options.title} listening on ${publicUrl(config.host, boundPort(app) ?? config.port)} (OpenAPI at /docs)`);
  keepRunningOnUncaughtErrors(logger);
  closeGracefullyOnSignals(app, logger, config.shutdownDrainMs);
}

function readConfigOrExit(): AppConfig {
  try {
    return AppConfig.fromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** The port actually bound, which differs from the configured one when that is 0 (any free port). */
function boundPort(app: { getHttpServer(): { address(): unknown } }): number | undefined {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address !== null ? (address as { port: number }).port : undefined;
}

function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${port}`;
}
