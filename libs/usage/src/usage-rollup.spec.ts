import { describe, expect, it } from 'vitest';
import { latencyBucket, LATENCY_BUCKET_COUNT } from './latency-buckets';
import { mergeRollups, NO_API_KEY, rollUp } from './usage-rollup';
import type { UsageEvent } from './usage-recorder';

const at = Date.UTC(2026, 11, 1, 12, 30, 15);
const event = (fields: Partial<UsageEvent> = {}): UsageEvent => ({ tenantId: 't', apiKeyId: 'k', modelId: 'm', versionNumber: 1, items: 2, bytesIn: 10, bytesOut: 20, latencyMs: 3, outcome: 'ok', at, ...fields });

describe('rollUp', () => {
  it('sums events of one minute, key, model and version into one row', () => {
    const [row, ...rest] = rollUp([event(), event({ outcome: 'client_error', latencyMs: 40 }), event({ outcome: 'server_error', at: at + 10_000 })]);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ minute: '2026-12-01T12:30:00.000Z', requests: 3, errors: 2, clientErrors: 1, serverErrors: 1, items: 6, bytesIn: 30, bytesOut: 60, latencyMsSum: 46 });
    expect(row.latencyBuckets).toHaveLength(LATENCY_BUCKET_COUNT);
    expect(row.latencyBuckets[latencyBucket(3)]).toBe(2);
    expect(row.latencyBuckets[latencyBucket(40)]).toBe(1);
  });

  it('keeps minutes, keys, models and versions apart; a request without a key gets the zero id', () => {
    const rows = rollUp([event(), event({ at: at + 60_000 }), event({ apiKeyId: undefined }), event({ modelId: 'n' }), event({ versionNumber: 2 })]);
    expect(rows).toHaveLength(5);
    expect(rows.some((row) => row.apiKeyId === NO_API_KEY)).toBe(true);
  });

  it('finds a row again when events of two rows interleave and when a run of one row crosses a minute', () => {
    const rows = rollUp([event(), event({ modelId: 'n' }), event(), event(), event({ modelId: 'n' }), event({ at: at + 60_000 }), event()]);
    expect(rows.map((row) => [row.modelId, row.minute, row.requests])).toEqual([
      ['m', '2026-12-01T12:30:00.000Z', 4],
      ['n', '2026-12-01T12:30:00.000Z', 2],
      ['m', '2026-12-01T12:31:00.000Z', 1],
    ]);
  });

  it('merges two flushes row by row, histograms element-wise', () => {
    const merged = mergeRollups(rollUp([event()]), rollUp([event({ latencyMs: 2_000 }), event({ modelId: 'n' })]));
    expect(merged).toHaveLength(2);
    const row = merged.find((candidate) => candidate.modelId === 'm')!;
    expect(row.requests).toBe(2);
    expect(row.latencyBuckets.reduce((sum, count) => sum + count, 0)).toBe(2);
  });

  it('puts latencies on bucket bounds in the bucket they close, and beyond the last in the open one', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.01)).toBe(1);
    expect(latencyBucket(1e9)).toBe(LATENCY_BUCKET_COUNT - 1);
  });
});
