import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ConnectionFaults, type DatabaseConnection } from '@maas/db';
import { rollUp } from '../../libs/usage/src/usage-rollup';
import { UsageRollupsRepository } from '../../libs/usage/src/usage-rollups.repository';
import type { UsageEvent } from '../../libs/usage/src/usage-recorder';
import { mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer, compareUnderLoad, load } from './bench-server';
import type { BenchmarkReport } from './measure';

const EVENTS = 200_000;

/**
 * Metering and plan limits against the same gateway without them: inference throughput with rate
 * limits on vs off (two platform processes, alternated), and how many usage events a second the
 * flush path persists (roll-up + one transaction), which must never be the bottleneck.
 */
export async function benchmarkUsage(limitsOn: BenchServer, limitsOff: BenchServer, databaseUrl: string): Promise<BenchmarkReport> {
  const on: BenchClient = { url: limitsOn.url, headers: { authorization: `Bearer ${await benchApiKey(limitsOn.url)}` } };
  const off: BenchClient = { url: limitsOff.url, headers: { authorization: `Bearer ${await benchApiKey(limitsOff.url)}` } };
  await uploadModel(on, 'mlp64', mlpOnnx([64, 256, 10]));
  await uploadModel(off, 'mlp64', mlpOnnx([64, 256, 10]));
  const body = JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from({ length: 64 }, (_, i) => Math.sin(i)) }] });
  const infer = (client: BenchClient) => () => load({ url: `${client.url}/v2/models/mlp64/infer`, method: 'POST', connections: 64, seconds: 5, body, headers: { ...client.headers, 'content-type': 'application/json' } });
  const results = await compareUnderLoad({ on: infer(on), off: infer(off) });
  const flush = await flushThroughput(databaseUrl, await tenantOf(on));
  const ratio = results.on.requestsPerSecond / results.off.requestsPerSecond;
  return {
    title: 'Usage: plan limits on vs off, and the flush path',
    rows: [
      { measure: 'gateway infer, MLP 64→256→10, c=64, rate limits on (tokens, concurrency, quota, headers)', value: `${Math.round(results.on.requestsPerSecond)} req/s (non-2xx ${results.on.non2xx})` },
      { measure: 'the same, MAAS_RATE_LIMITS=off (metering still on)', value: `${Math.round(results.off.requestsPerSecond)} req/s` },
      { measure: `usage flush: ${EVENTS} events rolled up and written in one transaction`, value: `${Math.round(flush.eventsPerSecond)} events/s (${flush.rows} rows, ${Math.round(flush.ms)} ms)` },
    ],
    goals: [
      { name: 'gateway throughput with limits on vs off', value: ratio, target: '≥ 0.95', met: ratio >= 0.95 },
      { name: 'usage events persisted per second (thousands)', value: flush.eventsPerSecond / 1000, target: '≥ 50', met: flush.eventsPerSecond >= 50_000 },
    ],
  };
}

async function tenantOf(client: BenchClient): Promise<string> {
  const me = (await (await fetch(`${client.url}/v1/me`, { headers: client.headers })).json()) as { tenant: { id: string } };
  return me.tenant.id;
}

/** 200k events over 10 keys × 20 models × 5 minutes, as a busy gateway would buffer them. */
async function flushThroughput(databaseUrl: string, tenantId: string) {
  const keys = Array.from({ length: 10 }, () => randomUUID());
  const models = Array.from({ length: 20 }, () => randomUUID());
  const start = Date.now() - 5 * 60_000;
  const events: UsageEvent[] = Array.from({ length: EVENTS }, (_, index) => ({ tenantId, apiKeyId: keys[index % 10], modelId: models[index % 20], versionNumber: 1, items: 1, bytesIn: 256, bytesOut: 40, latencyMs: (index % 50) / 3, outcome: index % 97 === 0 ? 'client_error' : 'ok', at: start + (index % 300) * 1000 }));
  const repository = new UsageRollupsRepository({ url: databaseUrl } as DatabaseConnection, new ConnectionFaults());
  try {
    const started = performance.now();
    const rows = rollUp(events);
    await repository.write({ id: `bench:${randomUUID()}`, rows, events: events.length });
    const ms = performance.now() - started;
    return { eventsPerSecond: EVENTS / (ms / 1000), ms, rows: rows.length };
  } finally {
    await repository.onApplicationShutdown();
  }
}
