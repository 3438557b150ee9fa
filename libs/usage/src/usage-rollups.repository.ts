import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { ConnectionFaults, createDatabasePool, DatabaseConnection } from '@maas/db';
import type { RollupRow } from './usage-rollup';

export interface PendingFlush {
  /** Process id + sequence: unique per flush, the same on every retry of it. */
  id: string;
  rows: RollupRow[];
  events: number;
}

/** How long flush ids are kept: far longer than any retry of an uncertain commit takes. */
const FLUSH_ID_RETENTION = "interval '1 day'";

/**
 * Writes rollups. A flush is one transaction that first records its id under a unique constraint,
 * so a flush retried after an uncertain commit (the connection died before the COMMIT's answer)
 * finds its id taken and changes nothing: every event is counted exactly once. Rows of tenants
 * deleted meanwhile are skipped (there is nobody left to bill). Through node-postgres on a small
 * pool of its own: Prisma's interactive transactions left an error listener on a pooled
 * connection per transaction (one per second here, for ever).
 */
@Injectable()
export class UsageRollupsRepository implements OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(connection: DatabaseConnection, faults: ConnectionFaults) {
    this.pool = createDatabasePool('usage', faults, { connectionString: connection.url, max: 2 });
  }

  /** `false` when this flush had already been committed by an earlier attempt. */
  async write(flush: PendingFlush): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO "UsageFlush" (id, events) VALUES ($1, $2)', [flush.id, flush.events]);
      await client.query(UPSERT_ROLLUPS, [JSON.stringify(flush.rows)]);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      if (isDuplicateFlushId(error)) return false;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Deletes flush ids past their use, and rollup rows older than the retention. */
  async prune(retentionDays: number): Promise<void> {
    await this.pool.query(`DELETE FROM "UsageFlush" WHERE "flushedAt" < now() - ${FLUSH_ID_RETENTION}`);
    await this.pool.query(`DELETE FROM "UsageRollup" WHERE minute < (now() AT TIME ZONE 'UTC') - make_interval(days => $1)`, [retentionDays]);
  }

  /** After every module's destroy hook: the flusher's last flush (in its destroy hook) still has the pool. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** Adds each row's counts to the stored row (histograms element-wise), creating it if needed. */
const UPSERT_ROLLUPS = `
INSERT INTO "UsageRollup" ("tenantId", minute, "apiKeyId", "modelId", "versionNumber", requests, errors, "clientErrors", "serverErrors", items, "bytesIn", "bytesOut", "latencyMsSum", "trainingSeconds", "latencyBuckets")
SELECT r."tenantId", r.minute, r."apiKeyId", r."modelId", r."versionNumber", r.requests, r.errors, r."clientErrors", r."serverErrors", r.items, r."bytesIn", r."bytesOut", r."latencyMsSum", r."trainingSeconds", r."latencyBuckets"
FROM json_to_recordset($1::json) AS r("tenantId" uuid, minute timestamp(3), "apiKeyId" uuid, "modelId" uuid, "versionNumber" int, requests int, errors int, "clientErrors" int, "serverErrors" int, items bigint, "bytesIn" bigint, "bytesOut" bigint, "latencyMsSum" float8, "trainingSeconds" float8, "latencyBuckets" int[])
WHERE EXISTS (SELECT 1 FROM "Tenant" t WHERE t.id = r."tenantId")
ON CONFLICT ("tenantId", minute, "apiKeyId", "modelId", "versionNumber") DO UPDATE SET
  requests = "UsageRollup".requests + EXCLUDED.requests,
  errors = "UsageRollup".errors + EXCLUDED.errors,
  "clientErrors" = "UsageRollup"."clientErrors" + EXCLUDED."clientErrors",
  "serverErrors" = "UsageRollup"."serverErrors" + EXCLUDED."serverErrors",
  items = "UsageRollup".items + EXCLUDED.items,
  "bytesIn" = "UsageRollup"."bytesIn" + EXCLUDED."bytesIn",
  "bytesOut" = "UsageRollup"."bytesOut" + EXCLUDED."bytesOut",
  "latencyMsSum" = "UsageRollup"."latencyMsSum" + EXCLUDED."latencyMsSum",
  "trainingSeconds" = "UsageRollup"."trainingSeconds" + EXCLUDED."trainingSeconds",
  "latencyBuckets" = ARRAY(
    SELECT coalesce(stored, 0) + coalesce(added, 0)
    FROM unnest("UsageRollup"."latencyBuckets", EXCLUDED."latencyBuckets") WITH ORDINALITY AS b(stored, added, position)
    ORDER BY position
  )`;

function isDuplicateFlushId(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'UsageFlush_pkey';
}
