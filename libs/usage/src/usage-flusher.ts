import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { AppConfig } from '@maas/config';
import { isDatabaseUnavailable } from '@maas/db';
import { mergeRollups } from './usage-rollup';
import { PendingFlush, UsageRollupsRepository } from './usage-rollups.repository';
import { UsageRecorder } from './usage-recorder';

const FLUSH_INTERVAL_MS = 1_000;
const PRUNE_EVERY_FLUSHES = 3_600;
/** Rollup rows waiting for the database, at most; past it the oldest flushes are dropped and counted. */
const MAX_PENDING_ROWS = 200_000;

interface Pending extends PendingFlush {
  /** Sent at least once: its commit may have happened, so its content may no longer change. */
  attempted: boolean;
}

/**
 * Takes the recorder's per-minute rollups every second (and at shutdown) and writes them. While the
 * database is away, flushes wait in memory as rollups (a few rows per tenant and minute, not one
 * per request) and are written, in order and exactly once, when it returns. What does not fit
 * is dropped, counted in a metric and logged — never silently.
 */
@Injectable()
export class UsageFlusher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Usage');
  private readonly processId = randomUUID();
  private sequence = 0;
  private flushesWritten = 0;
  private pending: Pending[] = [];
  private flushing?: Promise<void>;
  private flushAgain?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private waitingForDatabase = false;
  readonly registry = new Registry();
  private readonly droppedEvents = new Counter({ name: 'maas_usage_events_dropped_total', help: 'Usage events lost because the buffer overflowed while the database was unavailable', registers: [this.registry] });
  private readonly pendingEvents = new Gauge({ name: 'maas_usage_events_pending', help: 'Usage events waiting to be written', registers: [this.registry] });

  constructor(
    private readonly recorder: UsageRecorder,
    private readonly rollups: UsageRollupsRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    const left = this.pending.reduce((sum, flush) => sum + flush.events, 0);
    if (left > 0) this.logger.error(`${left} usage events could not be written before shutdown: the database is unavailable`);
  }

  /**
   * Writes everything recorded so far. A call during a run waits for it and then runs once more
   * (the run in progress drained the recorder before this call's events); such calls share that one.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain ??= this.flushing.then(() => {
        this.flushAgain = undefined;
        return this.flush();
      });
      return this.flushAgain;
    }
    this.flushing = this.writePending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    this.takeRecorded();
    while (this.pending.length > 0) {
      const next = this.pending[0];
      next.attempted = true;
      try {
        await this.rollups.write(next);
      } catch (error) {
        if (isDatabaseUnavailable(error)) return this.noteWaiting();
        // Not an outage: retrying would fail forever and hold back every later flush.
        this.logger.error(`usage flush ${next.id} (${next.events} events) failed and was dropped: ${(error as Error).message}`);
        this.droppedEvents.inc(next.events);
      }
      this.pending.shift();
      this.updatePending();
      if (++this.flushesWritten % PRUNE_EVERY_FLUSHES === 0) await this.rollups.prune(this.config.usageRetentionDays).catch(() => undefined);
    }
    if (this.waitingForDatabase) this.logger.log('usage flushes caught up after the database returned');
    this.waitingForDatabase = false;
  }

  private takeRecorded(): void {
    const { rows, events } = this.recorder.take();
    if (events === 0) return;
    const last = this.pending[this.pending.length - 1];
    if (last && !last.attempted) {
      last.rows = mergeRollups(last.rows, rows);
      last.events += events;
    } else {
      this.pending.push({ id: `${this.processId}:${++this.sequence}`, rows, events, attempted: false });
    }
    this.dropBeyondBound();
    this.updatePending();
  }

  private dropBeyondBound(): void {
    let rows = this.pending.reduce((sum, flush) => sum + flush.rows.length, 0);
    while (rows > MAX_PENDING_ROWS && this.pending.length > 1) {
      const dropped = this.pending.shift()!;
      rows -= dropped.rows.length;
      this.droppedEvents.inc(dropped.events);
      this.logger.warn(`dropped ${dropped.events} usage events: more than ${MAX_PENDING_ROWS} rollup rows waited for the database`);
    }
  }

  private noteWaiting(): void {
    if (!this.waitingForDatabase) this.logger.warn('usage flush waits: the database is unavailable; events stay buffered and are written when it returns');
    this.waitingForDatabase = true;
  }

  private updatePending(): void {
    this.pendingEvents.set(this.pending.reduce((sum, flush) => sum + flush.events, 0));
  }
}
