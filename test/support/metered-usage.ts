import pg from 'pg';

/** Requests the usage rollups hold for a tenant, read straight from the database. */
export async function meteredRequests(databaseUrl: string, tenantId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string | null }>('SELECT sum(requests) AS total FROM "UsageRollup" WHERE "tenantId" = $1', [tenantId]);
    return Number(rows[0].total ?? 0);
  } finally {
    await client.end();
  }
}
