import { Injectable } from '@nestjs/common';
import { describeIssues, DomainError } from '@maas/errors';
import { NO_API_KEY } from '../usage-rollup';
import { percentileMs } from './latency-percentiles';
import { UsageGroupRow, UsageQueryRepository } from './usage-query.repository';
import { BUCKET_SECONDS, GroupBy, PAGE_LIMITS, UsageRequest, usageRequestSchema } from './usage-request';

export class InvalidUsageQueryError extends DomainError {
  constructor(message: string) {
    super('invalid', 'INVALID_USAGE_QUERY', message);
  }
}

export interface UsageResult {
  requests: number;
  errors: number;
  items: number;
  bytes_in: number;
  bytes_out: number;
  training_seconds: number;
  latency_ms: { p50: number | null; p95: number | null; p99: number | null } | null;
  model?: string | null;
  version?: number | null;
  api_key_id?: string | null;
  status?: 'success' | 'client_error' | 'server_error';
}

export interface UsagePage {
  object: 'page';
  data: Array<{ start_time: number; end_time: number; results: UsageResult[] }>;
  has_more: boolean;
  next_page: number | null;
}

/**
 * `GET /v1/usage`, shaped like OpenAI's usage API: buckets of 1m/1h/1d between start_time and
 * end_time, each with one result per group (model, version, API key, status class). Percentiles
 * are estimated from the histogram (see percentileMs for the bound).
 */
@Injectable()
export class UsageQueryService {
  constructor(private readonly usage: UsageQueryRepository) {}

  parse(query: unknown): UsageRequest {
    const parsed = usageRequestSchema.safeParse(query);
    if (!parsed.success) throw new InvalidUsageQueryError(describeIssues(parsed.error.issues, 'query').join('; '));
    return parsed.data;
  }

  async query(tenantId: string, request: UsageRequest): Promise<UsagePage> {
    const width = BUCKET_SECONDS[request.bucket_width];
    const limits = PAGE_LIMITS[request.bucket_width];
    const limit = request.limit ?? limits.default;
    if (limit > limits.max) throw new InvalidUsageQueryError(`limit for bucket_width=${request.bucket_width} is at most ${limits.max} buckets`);
    const startTime = Math.floor((request.page ?? request.start_time) / width) * width;
    const endTime = Math.min(request.end_time ?? Math.ceil(Date.now() / 1000), startTime + limit * width);
    if (endTime <= startTime) throw new InvalidUsageQueryError('end_time must be after start_time');
    const finalEnd = request.end_time ?? Math.ceil(Date.now() / 1000);
    const groups = new Set<GroupBy>(request.group_by ?? []);
    const models = await this.usage.models(tenantId);
    const modelIds = request.models ? request.models.map((name) => models.find((model) => model.name === name)?.id ?? '00000000-0000-0000-0000-000000000000') : undefined;
    const rows = await this.usage.groups({ tenantId, start: new Date(startTime * 1000), end: new Date(endTime * 1000), bucketSeconds: width, byModel: groups.has('model'), byVersion: groups.has('version'), byKey: groups.has('api_key'), modelIds, apiKeyIds: request.api_key_ids });
    const nameOf = new Map(models.map((model) => [model.id, model.name]));
    const data: UsagePage['data'] = [];
    for (let bucketStart = startTime; bucketStart < endTime; bucketStart += width) {
      const inBucket = rows.filter((row) => Math.floor(row.bucket.getTime() / 1000) === bucketStart);
      data.push({ start_time: bucketStart, end_time: bucketStart + width, results: inBucket.flatMap((row) => results(row, groups, nameOf)) });
    }
    const hasMore = endTime < finalEnd;
    return { object: 'page', data, has_more: hasMore, next_page: hasMore ? endTime : null };
  }
}

function results(row: UsageGroupRow, groups: Set<GroupBy>, nameOf: Map<string, string>): UsageResult[] {
  const labels: Partial<UsageResult> = {};
  if (groups.has('model') || groups.has('version')) labels.model = row.modelId ? (nameOf.get(row.modelId) ?? row.modelId) : null;
  if (groups.has('version')) labels.version = row.versionNumber;
  // Requests made with a console session have no key: null, not the rollups' placeholder id.
  if (groups.has('api_key')) labels.api_key_id = row.apiKeyId === NO_API_KEY ? null : row.apiKeyId;
  const base = { items: row.items, bytes_in: row.bytesIn, bytes_out: row.bytesOut, training_seconds: row.trainingSeconds };
  const latency = { p50: percentileMs(row.latencyBuckets, 0.5), p95: percentileMs(row.latencyBuckets, 0.95), p99: percentileMs(row.latencyBuckets, 0.99) };
  if (!groups.has('status')) return [{ ...labels, ...base, requests: row.requests, errors: row.errors, latency_ms: row.requests > 0 ? latency : null }];
  // By status: the counters split by outcome; latency is kept per group, not per status.
  return (
    [
      ['success', row.requests - row.errors],
      ['client_error', row.clientErrors],
      ['server_error', row.serverErrors],
    ] as const
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => ({ ...labels, status, requests: count, errors: status === 'success' ? 0 : count, items: status === 'success' ? row.items : 0, bytes_in: 0, bytes_out: 0, training_seconds: 0, latency_ms: null }));
}
