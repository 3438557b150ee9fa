import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/accounts';
import { startServingPlatform, waitUntil, type ServingPlatform } from '../support/fault-platform';
import { meteredRequests } from '../support/metered-usage';
import { OwnPostgres } from '../support/own-postgres';
import { countByStatus, failureBodies, startSteadyLoad } from '../support/steady-load';

const OUTAGE_MS = 3_000;

/**
 * PostgreSQL restarted under inference load (a failover, a minor upgrade): the process survives,
 * cached callers of a loaded model never see an error, what needs the database answers 503 with
 * Retry-After while it is away, and readiness comes back by itself.
 */
describe('a PostgreSQL restart under load', () => {
  let postgres: OwnPostgres;
  let serving: ServingPlatform;

  beforeAll(async () => {
    postgres = await OwnPostgres.start();
    // A 1 s key cache: the outage outlasts it, so keys are served from the stale cache.
    serving = await startServingPlatform(postgres.url, { MAAS_API_KEY_CACHE_MS: '1000' });
  });

  afterAll(async () => {
    await serving?.platform.stop();
    await postgres?.destroy();
  });

  it('keeps serving cached callers, answers 503 for the rest, and is ready again within 10 s', async () => {
    const { client, account, platform } = serving;
    const load = startSteadyLoad(8, serving.inferOnce);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await postgres.stop();
    const outageStarted = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const listing = await client.request({ url: '/v1/models', headers: bearer(account.apiKey) });
    const readyDuringOutage = await client.request({ url: '/health/ready' });
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (performance.now() - outageStarted)));

    await postgres.resume();
    const recoveryMs = await waitUntil(async () => (await client.request({ url: '/health/ready' })).statusCode === 200, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcomes = await load.stop();
    const counts = countByStatus(outcomes);
    process.stdout.write(`inference answers by status during the restart: ${JSON.stringify(counts)}; ready ${Math.round(recoveryMs)} ms after PostgreSQL was back\n`);

    expect(platform.child.exitCode).toBeNull();
    expect(Object.keys(counts), failureBodies(outcomes).join('\n')).toEqual(['200']);
    expect(counts['200']).toBeGreaterThan(100);
    expect(listing.statusCode, listing.body).toBe(503);
    expect(listing.headers['retry-after']).toBe('2');
    expect(listing.json().error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/database is unavailable/) });
    expect(readyDuringOutage.statusCode).toBe(503);
    expect(recoveryMs).toBeLessThan(10_000);

    const after = await client.request({ url: '/v1/models', headers: bearer(account.apiKey) });
    expect(after.statusCode, after.body).toBe(200);
    const metrics = await client.request({ url: '/metrics' });
    expect(metrics.body).toMatch(/maas_database_connections_lost_total\{pool="prisma"\} [1-9]/);
    expect(metrics.body).toMatch(/maas_usage_events_dropped_total 0/);

    // Usage buffered through the outage is all written afterwards: the warm-up request plus every answer.
    const served = counts['200'] + 1;
    const metered = await waitUntil(async () => (await meteredRequests(postgres.url, account.tenantId)) === served, 5_000);
    process.stdout.write(`usage: ${served} requests served, all ${served} metered ${Math.round(metered)} ms later\n`);
  });
});
