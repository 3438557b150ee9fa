import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ConnectionFaults, type DatabaseConnection } from '@maas/db';
import { rollUp } from '../../libs/usage/src/usage-rollup';
import { UsageRollupsRepository } from '../../libs/usage/src/usage-rollups.repository';
import type { UsageEvent } from '../../libs/usage/src/usage-recorder';
import { mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer, compareUnderLoad, load, type LoadResult } from './bench-server';
import type { BenchmarkReport } from './measure';

const EVENTS = 200_000;

/**
 * Metering and plan limits against the same gateway without them: inference throughput with rate
 * limits on vs off (two platform processes, alternated), and how many usage events a second the
 * flush path persists (roll-up + one transaction), which must never be the bottleneck.
 */
export interface UsageBenchServers {
  /** Limits on, in this process's memory. */
  on: BenchServer;
  off: BenchServer;
  /** Limits on, shared through Redis (absent when Redis does not answer). */
  shared?: BenchServer;
}

export async function benchmarkUsage(servers: UsageBenchServers, databaseUrl: string): Promise<BenchmarkReport> {
  const body = JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from({ length: 64 }, (_, i) => Math.sin(i)) }] });
  const contenders: Record<string, () => Promise<LoadResult>> = {};
  const clients: Record<string, BenchClient> = {};
  for (const [name, server] of Object.entries(servers) as [string, BenchServer | undefined][]) {
    if (!server) continue;
    const client: BenchClient = { url: server.url, headers: { authorization: `Bearer ${await benchApiKey(server.url)}` } };
    await uploadModel(client, 'mlp64', mlpOnnx([64, 256, 10]));
    clients[name] = client;
    contenders[name] = () => load({ url: `${client.url}/v2/models/mlp64/infer`, method: 'POST', connections: 64, seconds: 5, body, headers: { ...client.headers, 'content-type': 'application/json' } });
  }
  // Five alternated rounds (median): three 5-second runs per contender left ±10% of noise on this machine.
  const results = await compareUnderLoad(contenders, 5);
  const flush = await flushThroughput(databaseUrl, await tenantOf(clients.on));
  const ratio = results.on.requestsPerSecond / results.off.requestsPerSecond;
  const shared = results.shared;
  return {
    title: 'Usage: plan limits on vs off, and the flush path',
    rows: [
      { measure: 'gateway infer, MLP 64→256→10, c=64, rate limits on in memory (tokens, concurrency, quota, headers)', value: `${Math.round(results.on.requestsPerSecond)} req/s (non-2xx ${results.on.non2xx})` },
      ...(shared ? [{ measure: 'the same, limits shared through Redis (REDIS_URL; 20,000 req/s plan, leases of 5,000)', value: `${Math.round(shared.requestsPerSecond)} req/s (non-2xx ${shared.non2xx})` }] : []),
      { measure: 'the same, MAAS_RATE_LIMITS=off (metering still on)', value: `${Math.round(results.off.requestsPerSecond)} req/s` },
      { measure: `usage flush: ${EVENTS} events rolled up and written in one transaction`, value: `${Math.round(flush.eventsPerSecond)} events/s (${flush.rows} rows, ${Math.round(flush.ms)} ms)` },
    ],
    goals: [
      { name: 'gateway throughput with limits on vs off', value: ratio, target: '≥ 0.95', met: ratio >= 0.95 },
      ...(shared ? [{ name: 'gateway throughput with Redis-shared limits vs off', value: shared.requestsPerSecond / results.off.requestsPerSecond, target: '≥ 0.95', met: shared.requestsPerSecond / results.off.requestsPerSecond >= 0.95 }] : []),
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
