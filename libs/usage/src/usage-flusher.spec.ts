import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '@maas/config';
import { DatabaseUnavailable, PrismaService } from '@maas/db';
import { startTestModule } from '../../../test/support/test-module';
import { UsageFlusher } from './usage-flusher';
import { UsageEvent, UsageRecorder } from './usage-recorder';
import { PendingFlush, UsageRollupsRepository } from './usage-rollups.repository';
import { UsageModule } from './usage.module';

const modelId = randomUUID();

async function rollupOf(prisma: PrismaService, tenantId: string) {
  return prisma.usageRollup.findMany({ where: { tenantId } });
}

describe('UsageFlusher on PostgreSQL', () => {
  let moduleRef: TestingModule;
  let prisma: PrismaService;
  let tenantId: string;
  const event = (fields: Partial<UsageEvent> = {}): UsageEvent => ({ tenantId, modelId, versionNumber: 1, items: 1, bytesIn: 32, bytesOut: 12, latencyMs: 2, outcome: 'ok', at: Date.now(), ...fields });

  beforeAll(async () => {
    moduleRef = await startTestModule([UsageModule]);
    prisma = moduleRef.get(PrismaService);
    tenantId = (await prisma.tenant.create({ data: { name: 'Usage', slug: `usage-${randomUUID()}` } })).id;
  });
  afterAll(() => moduleRef.close());

  it('writes events recorded during a flush in progress before the next flush call returns', async () => {
    const recorder = moduleRef.get(UsageRecorder);
    const flusher = moduleRef.get(UsageFlusher);
    const tenant = (await prisma.tenant.create({ data: { name: 'Racing', slug: `racing-${randomUUID()}` } })).id;
    recorder.record(event({ tenantId: tenant }));
    const running = flusher.flush();
    recorder.record(event({ tenantId: tenant }));
    await Promise.all([running, flusher.flush()]);
    expect((await rollupOf(prisma, tenant)).reduce((sum, row) => sum + row.requests, 0)).toBe(2);
  });

  it('adds each flush to the minute rows, histograms element-wise', async () => {
    const recorder = moduleRef.get(UsageRecorder);
    const flusher = moduleRef.get(UsageFlusher);
    recorder.record(event());
    recorder.record(event({ outcome: 'client_error', latencyMs: 30 }));
    await flusher.flush();
    recorder.record(event({ outcome: 'server_error' }));
    await flusher.flush();
    const [row] = await rollupOf(prisma, tenantId);
    expect(row).toMatchObject({ requests: 3, errors: 2, clientErrors: 1, serverErrors: 1, items: 3n, bytesIn: 96n, bytesOut: 36n });
    expect(row.latencyBuckets.reduce((sum, count) => sum + count, 0)).toBe(3);
  });

  it('counts a flush retried after an uncertain commit once', async () => {
    const repository = moduleRef.get(UsageRollupsRepository);
    const otherTenant = (await prisma.tenant.create({ data: { name: 'Retry', slug: `retry-${randomUUID()}` } })).id;
    const flush: PendingFlush = { id: `test:${randomUUID()}`, events: 1, rows: [{ tenantId: otherTenant, minute: new Date(0).toISOString(), apiKeyId: randomUUID(), modelId, versionNumber: 1, requests: 1, errors: 0, clientErrors: 0, serverErrors: 0, items: 1, bytesIn: 0, bytesOut: 0, latencyMsSum: 1, trainingSeconds: 0, latencyBuckets: [1] }] };
    expect(await repository.write(flush)).toBe(true);
    expect(await repository.write(flush)).toBe(false);
    expect((await rollupOf(prisma, otherTenant))[0].requests).toBe(1);
  });

  it('keeps events while the database is unavailable and writes them, once, when it returns', async () => {
    const repository = moduleRef.get(UsageRollupsRepository);
    const outageTenant = (await prisma.tenant.create({ data: { name: 'Outage', slug: `outage-${randomUUID()}` } })).id;
    const recorder = new UsageRecorder();
    // Fault injection: the first two writes find the database away, the first after committing.
    let failures = 0;
    const flaky = {
      write: async (flush: PendingFlush) => {
        if (failures === 0) {
          failures++;
          await repository.write(flush);
          throw new DatabaseUnavailable();
        }
        if (failures++ === 1) throw new DatabaseUnavailable();
        return repository.write(flush);
      },
      prune: async () => undefined,
    } as unknown as UsageRollupsRepository;
    const flusher = new UsageFlusher(recorder, flaky, moduleRef.get(AppConfig));
    for (let count = 0; count < 5; count++) recorder.record({ ...event(), tenantId: outageTenant });
    await flusher.flush();
    for (let count = 0; count < 3; count++) recorder.record({ ...event(), tenantId: outageTenant });
    await flusher.flush();
    await flusher.flush();
    expect((await rollupOf(prisma, outageTenant)).reduce((sum, row) => sum + row.requests, 0)).toBe(8);
  });

  it('skips rows of a tenant deleted before its usage was written', async () => {
    const recorder = moduleRef.get(UsageRecorder);
    const gone = randomUUID();
    recorder.record({ ...event(), tenantId: gone });
    await moduleRef.get(UsageFlusher).flush();
    expect(await rollupOf(prisma, gone)).toEqual([]);
  });

  it('deletes rollup rows older than the retention', async () => {
    const repository = moduleRef.get(UsageRollupsRepository);
    const old = (await prisma.tenant.create({ data: { name: 'Old', slug: `old-${randomUUID()}` } })).id;
    const row = (minute: string) => ({ tenantId: old, minute, apiKeyId: randomUUID(), modelId, versionNumber: 1, requests: 1, errors: 0, clientErrors: 0, serverErrors: 0, items: 1, bytesIn: 0, bytesOut: 0, latencyMsSum: 1, trainingSeconds: 0, latencyBuckets: [1] });
    await repository.write({ id: `test:${randomUUID()}`, events: 2, rows: [row(new Date(Date.now() - 3 * 86_400_000).toISOString()), row(new Date(Date.now() - 60_000).toISOString())] });
    await repository.prune(2);
    expect((await rollupOf(prisma, old)).length).toBe(1);
  });
});
