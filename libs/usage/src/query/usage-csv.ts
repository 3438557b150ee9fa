import type { UsagePage } from './usage-query.service';

const COLUMNS = ['start_time', 'end_time', 'model', 'version', 'api_key_id', 'status', 'requests', 'errors', 'items', 'bytes_in', 'bytes_out', 'training_seconds', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms'];

/** Usage buckets as CSV, one row per bucket and group (times as ISO 8601, UTC). */
export function usageCsv(pages: UsagePage[]): string {
  const lines = [COLUMNS.join(',')];
  for (const bucket of pages.flatMap((page) => page.data)) {
    for (const result of bucket.results) {
      lines.push(
        [new Date(bucket.start_time * 1000).toISOString(), new Date(bucket.end_time * 1000).toISOString(), result.model ?? '', result.version ?? '', result.api_key_id ?? '', result.status ?? '', result.requests, result.errors, result.items, result.bytes_in, result.bytes_out, result.training_seconds, result.latency_ms?.p50 ?? '', result.latency_ms?.p95 ?? '', result.latency_ms?.p99 ?? '']
          .map((value) => csvField(String(value)))
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
