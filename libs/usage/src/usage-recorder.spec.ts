import { describe, expect, it } from 'vitest';
import { UsageEvent, UsageRecorder } from './usage-recorder';

const MINUTE = 60_000;
const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({ tenantId: 't', modelId: 'm', versionNumber: 1, items: 1, bytesIn: 4, bytesOut: 4, latencyMs: 1, outcome: 'ok', at: 5 * MINUTE + 1_000, ...overrides });

describe('UsageRecorder', () => {
  it('hands over what was recorded as per-minute rows, once', () => {
    const recorder = new UsageRecorder();
    recorder.record(event());
    recorder.record(event({ outcome: 'client_error', items: 3 }));
    recorder.record(event({ at: 6 * MINUTE }));
    const { rows, events } = recorder.take();
    expect(events).toBe(3);
    expect(rows.map((row) => [row.minute, row.requests, row.items, row.clientErrors])).toEqual([
      [new Date(5 * MINUTE).toISOString(), 2, 4, 1],
      [new Date(6 * MINUTE).toISOString(), 1, 1, 0],
    ]);
    expect(recorder.take()).toEqual({ rows: [], events: 0 });
  });

  it('keeps one row per tenant, key, model, version and minute however many requests it records', () => {
    const recorder = new UsageRecorder();
    for (let count = 0; count < 100_000; count++) recorder.record(event({ versionNumber: 1 + (count % 2), apiKeyId: count % 4 < 2 ? 'k' : undefined }));
    const { rows, events } = recorder.take();
    expect(events).toBe(100_000);
    expect(rows).toHaveLength(4);
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(100_000);
  });
});
