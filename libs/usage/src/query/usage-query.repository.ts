import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@maas/db';
import type { UsageCounters } from '../usage-rollup';

export interface UsageGroupRow extends UsageCounters {
  bucket: Date;
  modelId: string | null;
  versionNumber: number | null;
  apiKeyId: string | null;
}

export interface UsageSelection {
  tenantId: string;
  start: Date;
  end: Date;
  bucketSeconds: number;
  byModel: boolean;
  byVersion: boolean;
  byKey: boolean;
  modelIds?: string[];
  apiKeyIds?: string[];
}

/**
 * Sums of the per-minute rollups by time bucket (and model, version, key when grouped), in
 * PostgreSQL: scalar counters in one query, the latency histograms element-wise in another.
 */
@Injectable()
export class UsageQueryRepository {
  constructor(private readonly prisma: PrismaService) {}

  async groups(selection: UsageSelection): Promise<UsageGroupRow[]> {
    const keys = groupColumns(selection);
    const where = whereClause(selection);
    const bucket = Prisma.sql`date_bin(make_interval(secs => ${selection.bucketSeconds}), minute, TIMESTAMP '1970-01-01')`;
    const totals = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT ${bucket} AS bucket, ${keys.select}
        sum(requests)::float8 AS requests, sum(errors)::float8 AS errors, sum("clientErrors")::float8 AS "clientErrors", sum("serverErrors")::float8 AS "serverErrors",
        sum(items)::float8 AS items, sum("bytesIn")::float8 AS "bytesIn", sum("bytesOut")::float8 AS "bytesOut", sum("trainingSeconds")::float8 AS "trainingSeconds"
      FROM "UsageRollup" ${where} GROUP BY 1 ${keys.groupBy} ORDER BY 1`;
    const histograms = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT bucket, ${keys.select} array_agg(total::int ORDER BY position) AS "latencyBuckets" FROM (
        SELECT ${bucket} AS bucket, ${keys.select} h.position, sum(h.count) AS total
        FROM "UsageRollup", unnest("latencyBuckets") WITH ORDINALITY AS h(count, position) ${where}
        GROUP BY 1 ${keys.groupBy}, h.position) AS per_position
      GROUP BY bucket ${keys.groupBy}`;
    const histogramOf = new Map(histograms.map((row) => [rowKey(row), row.latencyBuckets as number[]]));
    return totals.map((row) => ({
      bucket: row.bucket as Date,
      modelId: (row.modelId as string | undefined) ?? null,
      versionNumber: (row.versionNumber as number | undefined) ?? null,
      apiKeyId: (row.apiKeyId as string | undefined) ?? null,
      requests: Number(row.requests),
      errors: Number(row.errors),
      clientErrors: Number(row.clientErrors),
      serverErrors: Number(row.serverErrors),
      items: Number(row.items),
      bytesIn: Number(row.bytesIn),
      bytesOut: Number(row.bytesOut),
      trainingSeconds: Number(row.trainingSeconds),
      latencyBuckets: histogramOf.get(rowKey(row)) ?? [],
    }));
  }

  /** The tenant's models by name, for filters and for naming results (deleted models are absent). */
  async models(tenantId: string): Promise<Array<{ id: string; name: string }>> {
    return this.prisma.model.findMany({ where: { tenantId }, select: { id: true, name: true } });
  }

  /** Requests and training seconds of the tenant since `start` (the billing period so far). */
  async totalsSince(tenantId: string, start: Date): Promise<{ requests: number; errors: number; items: number; trainingSeconds: number }> {
    const [row] = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT coalesce(sum(requests), 0)::float8 AS requests, coalesce(sum(errors), 0)::float8 AS errors, coalesce(sum(items), 0)::float8 AS items, coalesce(sum("trainingSeconds"), 0)::float8 AS "trainingSeconds"
      FROM "UsageRollup" WHERE "tenantId" = ${tenantId}::uuid AND minute >= ${start}`;
    return { requests: Number(row.requests), errors: Number(row.errors), items: Number(row.items), trainingSeconds: Number(row.trainingSeconds) };
  }
}

function groupColumns(selection: UsageSelection) {
  const columns = [...(selection.byModel || selection.byVersion ? ['"modelId"'] : []), ...(selection.byVersion ? ['"versionNumber"'] : []), ...(selection.byKey ? ['"apiKeyId"'] : [])];
  const list = columns.join(', ');
  return {
    select: Prisma.raw(columns.length ? `${list},` : ''),
    groupBy: Prisma.raw(columns.length ? `, ${list}` : ''),
  };
}

function whereClause(selection: UsageSelection) {
  const conditions = [Prisma.sql`"tenantId" = ${selection.tenantId}::uuid`, Prisma.sql`minute >= ${selection.start}`, Prisma.sql`minute < ${selection.end}`];
  if (selection.modelIds) conditions.push(Prisma.sql`"modelId" = ANY(${selection.modelIds}::uuid[])`);
  if (selection.apiKeyIds) conditions.push(Prisma.sql`"apiKeyId" = ANY(${selection.apiKeyIds}::uuid[])`);
  return Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
}

function rowKey(row: Record<string, unknown>): string {
  return `${(row.bucket as Date).getTime()}|${row.modelId ?? ''}|${row.versionNumber ?? ''}|${row.apiKeyId ?? ''}`;
}
