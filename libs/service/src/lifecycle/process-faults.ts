import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';

/**
 * An error nobody caught (a rejected promise without a handler, an exception thrown from a timer or
 * an event listener) is logged with a reference and the process goes on serving: one bad request or
 * one lost connection must not take every tenant's traffic down. Only start-up errors stop a process.
 */
export function keepRunningOnUncaughtErrors(logger: Logger): void {
  const report = (kind: string) => (error: unknown) => {
    const reference = randomUUID();
    logger.error(`${kind} (reference ${reference}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  process.on('unhandledRejection', report('unhandled promise rejection'));
  process.on('uncaughtException', report('uncaught exception'));
}
