/**
 * Upper bounds (ms) of the latency histogram kept in every rollup row; the last bucket is open.
 * Roughly 1-2.5-5 per decade, as Prometheus' default buckets: a percentile read from it is off by
 * at most the width of the bucket it falls in (e.g. a p99 of 30 ms is reported within 25–50 ms).
 */
export const LATENCY_BUCKET_BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] as const;

/** Number of buckets: one per bound, plus the open one above the last. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

export function latencyBucket(latencyMs: number): number {
  for (let index = 0; index < LATENCY_BUCKET_BOUNDS_MS.length; index++) if (latencyMs <= LATENCY_BUCKET_BOUNDS_MS[index]) return index;
  return LATENCY_BUCKET_BOUNDS_MS.length;
}
