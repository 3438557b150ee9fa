import { Injectable, Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Repeats of the same loss within this window are counted but not logged again. */
const LOG_QUIET_MS = 10_000;

/**
 * Lost database connections, from every pool and client in the process. A connection that dies
 * (PostgreSQL restarted, a failover, a network cut) emits `error`; without a listener Node turns
 * that into an uncaught exception that kills the process. Each loss is counted for Prometheus and
 * logged once per source and burst; the pool replaces the connection on its next checkout.
 */
@Injectable()
export class ConnectionFaults {
  private readonly logger = new Logger('Database');
  readonly registry = new Registry();
  private readonly lost = new Counter({
    name: 'maas_database_connections_lost_total',
    help: 'Database connections lost (errored while idle or in use), by pool',
    labelNames: ['pool'],
    registers: [this.registry],
  });
  private readonly lastLoggedAt = new Map<string, number>();

  record(pool: string, error: Error): void {
    this.lost.inc({ pool });
    const now = Date.now();
    if (now - (this.lastLoggedAt.get(pool) ?? 0) < LOG_QUIET_MS) return;
    this.lastLoggedAt.set(pool, now);
    this.logger.warn(`${pool}: database connection lost (${error.message}); it will be replaced`);
  }
}
