import { readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { describeShares, profiledWhile } from './cpu-profile';
import { startBenchServer } from './bench-server';
import type { BenchmarkReport } from './measure';
import { residentMegabytes } from './process-memory';
import { CpuMeter } from './thread-cpu';

const MODELS = Number(process.env.BENCH_DENSITY_MODELS ?? 1_000);
const SPREAD = 200;
const COLD = 20;
const UPLOADS_AT_ONCE = 4;
const SECONDS = 5;
const WIDTH = 64;
/** The small model of the issue: MLP 64→256→10, ~70 KB of weights. */
const smallModel = (seed: number) => mlpOnnx([WIDTH, 256, 10], { seed });
const body = JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, WIDTH], data: Array.from({ length: WIDTH }, (_, i) => Math.sin(i)) }] });

/**
 * Many tenants' models in one process: RSS and threads after loading 1, 100 and MODELS distinct
 * small models (on a platform of its own, so nothing else it held is counted), req/s with traffic
 * spread over SPREAD of them, and the warm models' latency while cold ones load beside them.
 */
export async function benchmarkDensity(databaseUrl: string): Promise<BenchmarkReport> {
  const server = await startBenchServer(databaseUrl, { REDIS_URL: '', MAAS_MODEL_CACHE_BYTES: String(4 * 1024 ** 3) });
  try {
    const client: BenchClient = { url: server.url, headers: { authorization: `Bearer ${await benchApiKey(server.url)}`, 'content-type': 'application/json' } };
    await uploadAll(client, MODELS + COLD);
    const pid = server.child.pid!;
    const sample = () => ({ rss: residentMegabytes(pid).current, threads: readdirSync(`/proc/${pid}/task`).length });
    const before = sample();
    await loadModels(client, 0, 1);
    const one = sample();
    await loadModels(client, 1, 100);
    const hundred = sample();
    await loadModels(client, 100, MODELS);
    const all = sample();
    const weightsMb = smallModel(0).byteLength / 2 ** 20;
    const perModelMb = (all.rss - hundred.rss) / (MODELS - 100);

    const spread = await spreadLoad(client);
    await fetch(`${server.url}/bench/loop-delay/reset`, { method: 'POST' });
    const spreadCpu = new CpuMeter(pid);
    const { result: spreadAgain, costs, allocations } = await profiledWhile(server.url, 'density-spread', () => spreadCpu.measure(() => spreadLoad(client)));
    const cpu = spreadCpu.perRequest();
    const loopDelay = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number; gc: { count: number; totalMs: number; maxMs: number; over5Ms: number; byKind: Record<string, { count: number; totalMs: number; maxMs: number }> } };
    const [withCold, coldMs] = await Promise.all([spreadLoad(client), loadColdOnes(client)]);

    return {
      title: `Density: ${MODELS.toLocaleString('en')} small models (MLP ${WIDTH}→256→10, ${(weightsMb * 1024).toFixed(0)} KB each) in one platform process`,
      rows: [
        { measurement: 'RSS MB / threads, no model loaded', value: `${before.rss.toFixed(0)} / ${before.threads}` },
        { measurement: 'after loading 1 model', value: `${one.rss.toFixed(0)} / ${one.threads}` },
        { measurement: 'after loading 100 models', value: `${hundred.rss.toFixed(0)} / ${hundred.threads}` },
        { measurement: `after loading ${MODELS.toLocaleString('en')} models`, value: `${all.rss.toFixed(0)} / ${all.threads}` },
        { measurement: `RSS per model beyond the 100th, MB (its weights: ${weightsMb.toFixed(2)})`, value: perModelMb.toFixed(2) },
        { measurement: `traffic spread over ${SPREAD} of them, 64 connections: req/s (two runs)`, value: `${Math.round(spread.requestsPerSecond)} / ${Math.round(spreadAgain.requestsPerSecond)}` },
        { measurement: 'same: p50 / p99 ms, event-loop p99 ms', value: `${spreadAgain.p50Ms} / ${spreadAgain.p99Ms}, ${loopDelay.p99Ms.toFixed(2)}` },
        { measurement: 'same: CPU µs per request, main thread / all other threads (model workers, GC, libuv)', value: `${cpu.mainUs.toFixed(0)} / ${cpu.othersUs.toFixed(0)}` },
        { measurement: 'same: main-thread GC pauses: count, total ms, longest ms, over 5 ms', value: `${loopDelay.gc.count}, ${loopDelay.gc.totalMs.toFixed(0)}, ${loopDelay.gc.maxMs.toFixed(1)}, ${loopDelay.gc.over5Ms} (${describeKinds(loopDelay.gc.byKind)})` },
        ...(costs ? [{ measurement: 'main-thread busy time in that run, top packages (BENCH_CPU_PROFILE_DIR set: figures slowed by the profiler)', value: describeShares(costs) }] : []),
        ...(allocations ? [{ measurement: 'main-thread allocations in that run, top packages', value: describeShares(allocations) }] : []),
        { measurement: `same while ${COLD} cold models load one after another: req/s, p99 ms`, value: `${Math.round(withCold.requestsPerSecond)}, ${withCold.p99Ms}` },
        { measurement: 'those cold first requests: median ms', value: Math.round(coldMs) },
      ],
      goals: [
        { name: 'RSS per additional small model beyond its weights, MB', value: perModelMb - weightsMb, target: '<= 1', met: perModelMb - weightsMb <= 1 },
        // The shared hosts start as models arrive, up to MAAS_MODEL_WORKERS (one per core): full well before the 100th.
        { name: `threads after ${MODELS.toLocaleString('en')} models minus after 100`, value: all.threads - hundred.threads, target: '0', met: all.threads <= hundred.threads },
        { name: `event-loop p99 with traffic over ${SPREAD} models, ms`, value: loopDelay.p99Ms, target: '< 10', met: loopDelay.p99Ms < 10 },
        { name: 'warm p99 while cold models load / warm p99 alone', value: withCold.p99Ms / spreadAgain.p99Ms, target: '<= 1.5', met: withCold.p99Ms <= 1.5 * spreadAgain.p99Ms },
      ],
    };
  } finally {
    await server.stop();
  }
}

async function uploadAll(client: BenchClient, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOADS_AT_ONCE }, async () => {
      while (next < count) {
        const index = next++;
        await uploadModel(client, `small-${index}`, smallModel(index));
      }
    }),
  );
}

/** One inference on each of models [from, to): each loads on first use. */
async function loadModels(client: BenchClient, from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < to) {
        const response = await fetch(`${client.url}/v2/models/small-${next++}/infer`, { method: 'POST', headers: client.headers, body });
        if (response.status !== 200) throw new Error(`infer failed: ${response.status} ${await response.text()}`);
      }
    }),
  );
}

async function spreadLoad(client: BenchClient) {
  const requests = Array.from({ length: SPREAD }, (_, index) => ({ method: 'POST' as const, path: `/v2/models/small-${index * Math.floor(MODELS / SPREAD)}/infer`, body, headers: client.headers }));
  const result = await autocannon({ url: client.url, connections: 64, duration: SECONDS, requests });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx`);
  return { requestsPerSecond: result.requests.average, requests: result.requests.total, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/** First requests to models not loaded yet, one after another, while the warm traffic runs; their median ms. */
async function loadColdOnes(client: BenchClient): Promise<number> {
  const samples: number[] = [];
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let index = MODELS; index < MODELS + COLD; index++) {
    const started = performance.now();
    await fetch(`${client.url}/v2/models/small-${index}/infer`, { method: 'POST', headers: client.headers, body });
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function describeKinds(byKind: Record<string, { count: number; totalMs: number; maxMs: number }>): string {
  return Object.entries(byKind)
    .map(([kind, { count, totalMs, maxMs }]) => `${kind} ${count}× ${totalMs.toFixed(0)} ms, longest ${maxMs.toFixed(1)}`)
    .join('; ');
}
