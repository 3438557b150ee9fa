export { UsageModule } from './usage.module';
export { UsageRecorder, type UsageEvent, type UsageOutcome } from './usage-recorder';
export { UsageFlusher } from './usage-flusher';
export { LATENCY_BUCKET_BOUNDS_MS } from './latency-buckets';
