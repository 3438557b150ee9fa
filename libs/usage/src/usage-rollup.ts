import { LATENCY_BUCKET_COUNT, latencyBucket } from './latency-buckets';
import type { UsageEvent } from './usage-recorder';

/** Stands for "no key" (a console session) in the rollup's key column, which is part of its primary key. */
export const NO_API_KEY = '00000000-0000-0000-0000-000000000000';

/** What every usage row counts, whether one minute's rollup or a queried bucket. */
export interface UsageCounters {
  requests: number;
  errors: number;
  clientErrors: number;
  serverErrors: number;
  items: number;
  bytesIn: number;
  bytesOut: number;
  trainingSeconds: number;
  latencyBuckets: number[];
}

/** One (tenant, minute, key, model, version) row's increments. */
export interface RollupRow extends UsageCounters {
  tenantId: string;
  /** ISO start of the minute, UTC. */
  minute: string;
  apiKeyId: string;
  modelId: string;
  versionNumber: number;
  latencyMsSum: number;
}

const MINUTE_MS = 60_000;

/** Sums events into per-minute rows: what one flush adds to the rollup table. */
export function rollUp(events: Iterable<UsageEvent>): RollupRow[] {
  const rollups = new RollupAccumulator();
  for (const event of events) rollups.add(event);
  return rollups.take().rows;
}

/**
 * Per-minute rows summed as events arrive, so that no event outlives its request: the gateway
 * records one per inference, and holding ~10k of them for the second until a flush made every
 * young-generation collection copy them, then summed them all in one long turn of the event loop.
 */
export class RollupAccumulator {
  private rows = new Map<string, RollupRow>();
  private last?: { row: RollupRow; minuteStart: number };
  private events = 0;
  /** The last minute's ISO text, the one nearly every event falls in. */
  private minuteStart = Number.NaN;
  private minuteText = '';

  add(event: UsageEvent): void {
    const minuteStart = event.at - (event.at % MINUTE_MS);
    const apiKeyId = event.apiKeyId ?? NO_API_KEY;
    let row = this.sameRowAsLast(event, minuteStart, apiKeyId);
    if (!row) {
      const key = `${event.tenantId}|${minuteStart}|${apiKeyId}|${event.modelId}|${event.versionNumber}`;
      row = this.rows.get(key);
      if (!row) {
        row = emptyRow(event, this.minuteOf(minuteStart), apiKeyId);
        this.rows.set(key, row);
      }
      this.last = { row, minuteStart };
    }
    addEvent(row, event);
    this.events++;
  }

  /** The rows summed since the last call, and how many events they count. */
  take(): { rows: RollupRow[]; events: number } {
    const taken = { rows: [...this.rows.values()], events: this.events };
    this.rows = new Map();
    this.last = undefined;
    this.events = 0;
    return taken;
  }

  /**
   * The row of the event before, when this one falls in it too, as a run of requests from one key to
   * one model does: their row is found without building and hashing its five-part key.
   */
  private sameRowAsLast(event: UsageEvent, minuteStart: number, apiKeyId: string): RollupRow | undefined {
    const last = this.last;
    if (!last || last.minuteStart !== minuteStart) return undefined;
    const { row } = last;
    return row.tenantId === event.tenantId && row.apiKeyId === apiKeyId && row.modelId === event.modelId && row.versionNumber === event.versionNumber ? row : undefined;
  }

  private minuteOf(minuteStart: number): string {
    if (minuteStart !== this.minuteStart) {
      this.minuteStart = minuteStart;
      this.minuteText = new Date(minuteStart).toISOString();
    }
    return this.minuteText;
  }
}

function emptyRow(event: UsageEvent, minute: string, apiKeyId: string): RollupRow {
  return { tenantId: event.tenantId, minute, apiKeyId, modelId: event.modelId, versionNumber: event.versionNumber, requests: 0, errors: 0, clientErrors: 0, serverErrors: 0, items: 0, bytesIn: 0, bytesOut: 0, latencyMsSum: 0, trainingSeconds: 0, latencyBuckets: new Array<number>(LATENCY_BUCKET_COUNT).fill(0) };
}

/** Adds `extra`'s rows into `base` (two pending flushes merged into one). */
export function mergeRollups(base: RollupRow[], extra: RollupRow[]): RollupRow[] {
  const byKey = new Map(base.map((row) => [rowKey(row), row]));
  for (const row of extra) {
    const existing = byKey.get(rowKey(row));
    if (!existing) {
      byKey.set(rowKey(row), row);
      continue;
    }
    for (const field of ['requests', 'errors', 'clientErrors', 'serverErrors', 'items', 'bytesIn', 'bytesOut', 'latencyMsSum', 'trainingSeconds'] as const) existing[field] += row[field];
    row.latencyBuckets.forEach((count, index) => (existing.latencyBuckets[index] += count));
  }
  return [...byKey.values()];
}

function addEvent(row: RollupRow, event: UsageEvent): void {
  if (event.trainingSeconds !== undefined) {
    row.trainingSeconds += event.trainingSeconds;
    return;
  }
  row.requests++;
  if (event.outcome === 'client_error') row.clientErrors++;
  if (event.outcome === 'server_error') row.serverErrors++;
  if (event.outcome !== 'ok') row.errors++;
  row.items += event.items;
  row.bytesIn += event.bytesIn;
  row.bytesOut += event.bytesOut;
  row.latencyMsSum += event.latencyMs;
  row.latencyBuckets[latencyBucket(event.latencyMs)]++;
}

function rowKey(row: RollupRow): string {
  return `${row.tenantId}|${row.minute}|${row.apiKeyId}|${row.modelId}|${row.versionNumber}`;
}
