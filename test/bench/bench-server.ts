import { ChildProcess, fork } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEPLOYED_ENVIRONMENT } from '../support/deployed-environment';
import { TEST_PLAN_LIMITS } from '../support/test-plan-limits';

export interface BenchServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the platform (with bench routes) as a child process on the given database, configured as
 * a default deployment (the process environment `npm start` sets, JSON request logs at info, written to a
 * discarded stdout).
 */
export function startBenchServer(databaseUrl: string, environment: Record<string, string> = {}): Promise<BenchServer> {
  // The bench measures the gateway, not the free plan's limits: lifted for its tenants.
  // BENCH_SERVER_NODE_FLAGS (e.g. `--trace-gc-nvp`) diagnoses the platform under load, its stdout (where V8
  // traces go) then kept in platform-stdout.log; measured runs go without.
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const stdout = flags.length > 0 ? openSync(join(process.env.BENCH_CPU_PROFILE_DIR ?? '.', 'platform-stdout.log'), 'w') : 'ignore';
  return startChildServer('platform-server.js', [], { ...DEPLOYED_ENVIRONMENT, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', NODE_ENV: 'production', MAAS_PLAN_LIMITS: TEST_PLAN_LIMITS, ...environment }, flags, stdout);
}

/** Starts one of `servers/` (the platform or a reference server) in a child process that reports its port over IPC. */
export async function startChildServer(script: string, args: string[] = [], environment: Record<string, string> = {}, execArgv: string[] = [], stdout: 'ignore' | number = 'ignore'): Promise<BenchServer> {
  const child = fork(join(__dirname, 'servers', script), args, { env: { ...process.env, ...environment }, execArgv, stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in the run. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Saturating load from this process with autocannon (loopback only, bounded in time). */
export async function load(options: { url: string; connections: number; seconds: number; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | Buffer }): Promise<LoadResult> {
  const result = await autocannon({ url: options.url, connections: options.connections, duration: options.seconds, method: options.method ?? 'GET', headers: options.headers, body: options.body });
  return { requestsPerSecond: result.requests.average, requests: result.requests.total, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/**
 * Alternates the contenders for several rounds and keeps each one's median round, so a burst of
 * noise on this 2-core machine (the load generator shares it) does not decide a ratio.
 */
export async function compareUnderLoad<K extends string>(contenders: Record<K, () => Promise<LoadResult>>, rounds = 3): Promise<Record<K, LoadResult>> {
  const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(contenders) as K[]) results[name].push(await contenders[name]());
  }
  return Object.fromEntries(
    (Object.keys(results) as K[]).map((name) => {
      const sorted = results[name].slice().sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      return [name, sorted[Math.floor(sorted.length / 2)]];
    }),
  ) as Record<K, LoadResult>;
}
