import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { identityOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer, compareUnderLoad, load, LoadResult, startBenchServer, startChildServer } from './bench-server';
import { describeShares, profiledWhile } from './cpu-profile';
import { CpuMeter } from './thread-cpu';
import { BenchmarkReport } from './measure';

const CONNECTIONS = 64;
const SECONDS = 5;
/** Cold starts measured per contender; the median counts (one sample swung the ratio from 1.4 to 2.8). */
const COLD_ROUNDS = 5;
/** Rounds of the gateway-vs-references comparison: run-to-run noise here is ±20%, so the median of five. */
const REFERENCE_ROUNDS = 5;

function jsonRequest(width: number): string {
  return JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, width], data: Array.from({ length: width }, (_, i) => Math.sin(i)) }] });
}

function binaryRequest(width: number): { body: Buffer; headerLength: number } {
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, width], parameters: { binary_data_size: width * 4 } }], parameters: { binary_data_output: true } }));
  const data = Float32Array.from({ length: width }, (_, i) => Math.sin(i));
  return { body: Buffer.concat([header, Buffer.from(data.buffer)]), headerLength: header.byteLength };
}

function inferLoad(client: BenchClient, model: string, body: string | Buffer, extraHeaders: Record<string, string> = {}, connections = CONNECTIONS, seconds = SECONDS): Promise<LoadResult> {
  return load({ url: `${client.url}/v2/models/${model}/infer`, method: 'POST', connections, seconds, body, headers: { ...client.headers, 'content-type': 'application/json', ...extraHeaders } });
}

/** The serving measurements of the gateway issues, side by side in one run, against references outside the platform. */
export async function benchmarkGateway(server: BenchServer, databaseUrl: string): Promise<BenchmarkReport> {
  const client: BenchClient = { url: server.url, headers: { authorization: `Bearer ${await benchApiKey(server.url)}` } };
  const mlp64 = mlpOnnx([64, 256, 10]);
  await uploadModel(client, 'mlp64', mlp64);
  await uploadModel(client, 'heavy', mlpOnnx([1024, 4096, 4096, 10]));
  await uploadModel(client, 'heavy-unbatched', mlpOnnx([1024, 4096, 4096, 10]), { batching: { maxBatchSize: 0 } });
  await uploadModel(client, 'identity-1mb', identityOnnx('FP32', 262_144));

  // 5 (first, while the machine is quiet): cold start of a ~100 MiB model, first infer through the
  // gateway vs a bare script. The same bytes uploaded as several versions: each version loads cold
  // (its own session), sharing one artifact. A second platform with local copies off shows what
  // streaming the artifact out of PostgreSQL costs instead.
  const coldModel = mlpOnnx([4096, 6144]);
  const withoutCopies = await startBenchServer(databaseUrl, { REDIS_URL: '', MAAS_ARTIFACT_CACHE_BYTES: '0' });
  const coldStarts = await alternatedColdStarts({ gateway: client, fromStorage: { ...client, url: withoutCopies.url } }, coldModel, 4096).finally(() => withoutCopies.stop());
  const gatewayColdMs = median(coldStarts.gateway);
  const fromStorageColdMs = median(coldStarts.fromStorage);
  const bareColdMs = median(coldStarts.bare);

  // 1: the gateway vs what a user would run instead (started here, their code in servers/): a
  // hand-rolled Fastify + onnxruntime-node server on the same model, and bare node:http echoing the
  // same body. 4: the server's event-loop delay under the saturating inference load alone.
  const small = jsonRequest(64);
  const references = await startReferenceServers(mlp64);
  let compared: Record<'gateway' | 'handRolled' | 'bareEcho', LoadResult>;
  const gatewayCpu = new CpuMeter(server.child.pid!);
  const handRolledCpu = new CpuMeter(references.handRolled.child.pid!);
  try {
    await inferLoad(client, 'mlp64', small, {}, CONNECTIONS, 2);
    compared = await compareUnderLoad({
      gateway: () => gatewayCpu.measure(() => inferLoad(client, 'mlp64', small)),
      handRolled: () => handRolledCpu.measure(() => load({ url: `${references.handRolled.url}/v2/models/mlp64/infer`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, body: small, headers: { 'content-type': 'application/json' } })),
      bareEcho: () => load({ url: `${references.bareEcho.url}/`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, body: small, headers: { 'content-type': 'application/json' } }),
    }, REFERENCE_ROUNDS);
  } finally {
    await references.stop();
  }
  const { gateway, handRolled, bareEcho } = compared;
  await fetch(`${server.url}/bench/loop-delay/reset`, { method: 'POST' });
  const loadAloneCpu = new CpuMeter(server.child.pid!);
  const { costs } = await profiledWhile(server.url, 'gateway-infer', () => loadAloneCpu.measure(() => inferLoad(client, 'mlp64', small)));
  const cpu = loadAloneCpu.perRequest();
  const loopDelay = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number; maxMs: number };
  const halfLoad = await halfRateLatency(client, small, gateway.requestsPerSecond / 2);

  // 2: dynamic batching on a compute-heavy model.
  const heavy = jsonRequest(1024);
  await inferLoad(client, 'heavy', heavy, {}, 8, 2);
  await inferLoad(client, 'heavy-unbatched', heavy, {}, 8, 2);
  const { batched, unbatched } = await compareUnderLoad({ batched: () => inferLoad(client, 'heavy', heavy), unbatched: () => inferLoad(client, 'heavy-unbatched', heavy) }, 1);

  // 3: binary vs JSON for a 1 MiB input (and output).
  const big = jsonRequest(262_144);
  const bigBinary = binaryRequest(262_144);
  const { binary, json } = await compareUnderLoad({
    binary: () => inferLoad(client, 'identity-1mb', bigBinary.body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(bigBinary.headerLength) }, 8),
    json: () => inferLoad(client, 'identity-1mb', big, {}, 8),
  }, 1);

  const ratios = {
    handRolled: gateway.requestsPerSecond / handRolled.requestsPerSecond,
    bareEcho: gateway.requestsPerSecond / bareEcho.requestsPerSecond,
    batching: batched.requestsPerSecond / unbatched.requestsPerSecond,
    binary: binary.requestsPerSecond / json.requestsPerSecond,
    cold: gatewayColdMs / bareColdMs,
  };
  return {
    title: 'Inference gateway (KServe V2, ONNX Runtime on shared model-host threads)',
    rows: [
      ...(costs ? [{ measurement: 'main-thread busy time under full load, top packages (BENCH_CPU_PROFILE_DIR set: figures below are slowed by the profiler)', value: describeShares(costs) }] : []),
      { measurement: `MLP 64→256→10, batch-1 JSON, 64 connections: gateway req/s (auth, limits, usage, metrics, access log on; median of ${REFERENCE_ROUNDS})`, value: Math.round(gateway.requestsPerSecond) },
      { measurement: 'same model and load, hand-rolled Fastify + onnxruntime-node (session run inline), req/s', value: Math.round(handRolled.requestsPerSecond) },
      { measurement: 'same body, bare node:http JSON echo, req/s', value: Math.round(bareEcho.requestsPerSecond) },
      { measurement: `over those ${REFERENCE_ROUNDS} rounds, CPU per request (main thread / other threads): gateway`, value: gatewayCpu.describe() },
      { measurement: 'same: hand-rolled server', value: handRolledCpu.describe() },
      { measurement: `latency at half that load (${Math.round(gateway.requestsPerSecond / 2)} req/s): p50 / p99 ms`, value: `${halfLoad.p50Ms} / ${halfLoad.p99Ms}` },
      { measurement: 'server event-loop delay under full load: p99 / max ms', value: `${loopDelay.p99Ms.toFixed(2)} / ${loopDelay.maxMs.toFixed(1)}` },
      { measurement: 'same run: CPU µs per request, main thread / all other threads (model workers, GC, libuv)', value: `${cpu.mainUs.toFixed(0)} / ${cpu.othersUs.toFixed(0)}` },
      { measurement: 'MLP 1024→4096→4096→10: req/s with dynamic batching', value: Math.round(batched.requestsPerSecond) },
      { measurement: 'same model, batching off (maxBatchSize 0), req/s', value: Math.round(unbatched.requestsPerSecond) },
      { measurement: '1 MiB FP32 identity: binary req/s', value: Math.round(binary.requestsPerSecond) },
      { measurement: '1 MiB FP32 identity: JSON req/s', value: Math.round(json.requestsPerSecond) },
      { measurement: `cold start, ${(coldModel.byteLength / 2 ** 20).toFixed(0)} MiB model: first infer through the gateway (artifact from its sealed local copy), median of ${COLD_ROUNDS}, ms`, value: Math.round(gatewayColdMs) },
      { measurement: `same, local copies off (MAAS_ARTIFACT_CACHE_BYTES=0: streamed from PostgreSQL), median of ${COLD_ROUNDS}, ms; / bare script`, value: `${Math.round(fromStorageColdMs)}; ${(fromStorageColdMs / bareColdMs).toFixed(2)}` },
      { measurement: `same model: InferenceSession.create from file + one run in a bare script, median of ${COLD_ROUNDS}, ms`, value: Math.round(bareColdMs) },
    ],
    goals: [
      { name: 'gateway infer / hand-rolled Fastify + onnxruntime-node req/s', value: ratios.handRolled, target: '>= 1.0', met: ratios.handRolled >= 1 },
      { name: 'gateway infer / bare node:http echo req/s', value: ratios.bareEcho, target: '>= 0.5', met: ratios.bareEcho >= 0.5 },
      { name: 'dynamic batching speed-up on the heavy MLP', value: ratios.batching, target: '>= 3', met: ratios.batching >= 3 },
      { name: 'binary / JSON req/s for a 1 MiB input', value: ratios.binary, target: '>= 5', met: ratios.binary >= 5 },
      { name: 'server event-loop p99 delay under full load, ms', value: loopDelay.p99Ms, target: '< 10', met: loopDelay.p99Ms < 10 },
      { name: 'cold start / bare script', value: ratios.cold, target: '<= 1.5', met: ratios.cold <= 1.5 },
    ],
  };
}

/** The references the gateway is measured against, serving the same model file. */
async function startReferenceServers(model: Buffer) {
  const folder = mkdtempSync(join(tmpdir(), 'maas-reference-'));
  const path = join(folder, 'model.onnx');
  writeFileSync(path, model);
  const handRolled = await startChildServer('handrolled-onnx-server.js', [path]);
  const bareEcho = await startChildServer('bare-echo-server.js');
  return {
    handRolled,
    bareEcho,
    stop: async () => {
      await Promise.all([handRolled.stop(), bareEcho.stop()]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Cold starts of the gateway (the first infer on each of COLD_ROUNDS versions of the same model, all
 * uploaded beforehand: a cold start meets a model stored earlier, not one still being written), of a
 * platform with local copies off, and of the bare script, alternated, each going first in turn. Not
 * all of one then all of the other:
 * on this VM a page of memory costs 2-8 µs to fault in when the hypervisor must back it afresh and
 * ~1.5 µs when it was freed a moment ago, and both contenders fault in ~300 MB per load (ONNX Runtime
 * copies a model two or three times while creating its session). Bare scripts in a row each reused
 * the pages the one before had just freed at exit, while the gateway, which keeps its versions
 * loaded, took fresh ones: the same 74k faults of its session creation cost 150 ms of kernel time
 * in one round and 620 ms in the next.
 */
async function alternatedColdStarts(platforms: { gateway: BenchClient; fromStorage: BenchClient }, model: Buffer, width: number): Promise<Record<'gateway' | 'fromStorage' | 'bare', number[]>> {
  // Versions 1..COLD_ROUNDS load on the default platform, the next ones on the one without copies.
  for (let version = 1; version <= 2 * COLD_ROUNDS; version++) await uploadModel(platforms.gateway, 'cold', model);
  const folder = mkdtempSync(join(tmpdir(), 'maas-cold-'));
  const path = join(folder, 'model.onnx');
  writeFileSync(path, model);
  const samples = { gateway: [] as number[], fromStorage: [] as number[], bare: [] as number[] };
  // Built once, outside the timings: the bare script has no body to build.
  const body = jsonRequest(width);
  try {
    for (let round = 0; round < COLD_ROUNDS; round++) {
      const contenders: Array<[keyof typeof samples, () => Promise<number>]> = [
        ['gateway', () => gatewayColdStartMs(platforms.gateway, round + 1, body)],
        ['fromStorage', () => gatewayColdStartMs(platforms.fromStorage, COLD_ROUNDS + round + 1, body)],
        ['bare', async () => bareColdStartMs(path, width)],
      ];
      // Each contender goes first, second and third in turn.
      for (let turn = 0; turn < contenders.length; turn++) {
        const [name, coldStartMs] = contenders[(round + turn) % contenders.length];
        samples[name].push(await coldStartMs());
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return samples;
}

/** Milliseconds of the first infer of a version not loaded yet. */
async function gatewayColdStartMs(client: BenchClient, version: number, body: string): Promise<number> {
  const start = performance.now();
  const first = await fetch(`${client.url}/v2/models/cold/versions/${version}/infer`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body });
  const elapsed = performance.now() - start;
  if (first.status !== 200) throw new Error(`cold infer failed: ${await first.text()}`);
  return elapsed;
}

function median(samples: number[]): number {
  return samples.slice().sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

async function halfRateLatency(client: BenchClient, body: string, rate: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const result = await autocannon({ url: `${client.url}/v2/models/mlp64/infer`, method: 'POST', connections: CONNECTIONS, duration: SECONDS, overallRate: Math.max(1, Math.round(rate)), body, headers: { ...client.headers, 'content-type': 'application/json' } });
  return { p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/** A bare script: create a session from the model's file and run once; it reports its own elapsed time. */
function bareColdStartMs(path: string, width: number): number {
  const script = `const ort = require('onnxruntime-node'); const t = performance.now(); ort.InferenceSession.create(${JSON.stringify(path)}).then(async (s) => { await s.run({ input: new ort.Tensor('float32', new Float32Array(${width}), [1, ${width}]) }); console.log(performance.now() - t); });`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '../../..'), encoding: 'utf8' }).trim());
}
