import { LATENCY_BUCKET_BOUNDS_MS } from '../latency-buckets';

/**
 * A percentile estimated from the latency histogram: the bucket holding the q-th request, and a
 * linear guess within it. The true value lies in that bucket, so the error is at most its width
 * (e.g. 25–50 ms for a p99 of ~30 ms); past the last bound (10 s) the answer is that bound.
 */
export function percentileMs(buckets: number[], q: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    if (buckets[index] === 0 || seen + buckets[index] < rank) {
      seen += buckets[index];
      continue;
    }
    const lower = index === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[index - 1];
    const upper = LATENCY_BUCKET_BOUNDS_MS[index];
    if (upper === undefined) return lower;
    return lower + ((rank - seen) / buckets[index]) * (upper - lower);
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1];
}
