import { benchmarkApiKeyAuth } from './api-key-auth.bench';
import { openBenchDatabase } from './bench-database';
import { startBenchServer } from './bench-server';
import { printReport } from './measure';
import { benchmarkStorage } from './storage.bench';
import { benchmarkGateway } from './gateway.bench';
import { benchmarkDensity } from './density.bench';
import { benchmarkPipeline } from './pipeline.bench';
import { benchmarkCompression } from './compression.bench';
import { benchmarkTensorCodec } from './tensor-codec.bench';
import { benchmarkTraining } from './training.bench';
import { benchmarkUsage } from './usage.bench';
import { benchmarkConsole } from './console.bench';
import { chromiumInstalled } from '../support/browser';
import { redisAnswers, LOCAL_REDIS_URL } from '../support/redis-server';

/**
 * `npm run bench`: every benchmark, one after the other, each comparing side by side in one run.
 * `npm run bench -- storage gateway` runs only the named ones (tensor, auth, storage, gateway, density, pipeline, compression, usage, training, console;
 * gateway includes density).
 */
async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const wanted = (name: string) => selected.length === 0 || selected.includes(name);
  if (wanted('tensor')) printReport(benchmarkTensorCodec());
  if (!['auth', 'storage', 'gateway', 'density', 'pipeline', 'compression', 'usage', 'training', 'console'].some(wanted)) return;

  const bench = await openBenchDatabase();
  // The main server's queue runs on PostgreSQL (REDIS_URL empty = unset); the training bench starts a Redis one beside it.
  const server = await startBenchServer(bench.database.url, { REDIS_URL: '' });
  try {
    if (wanted('auth')) printReport(await benchmarkApiKeyAuth(server));
    if (wanted('storage')) printReport(await benchmarkStorage(server, bench.database.url));
    if (wanted('gateway')) printReport(await benchmarkGateway(server, bench.database.url));
    if (wanted('gateway') || wanted('density')) printReport(await benchmarkDensity(bench.database.url));
    if (wanted('pipeline')) printReport(await benchmarkPipeline(server));
    if (wanted('compression')) printReport(await benchmarkCompression(server));
    if (wanted('usage')) printReport(await benchmarkWithoutLimits(server, bench.database.url));
    if (wanted('training')) printReport(await benchmarkOnBothQueues(server, bench.database.url));
    if (wanted('console')) {
      if (chromiumInstalled()) printReport(await benchmarkConsole(server, bench.database.url));
      else process.stdout.write('console: skipped, /usr/bin/chromium is not installed (apt-get install -y chromium)\n');
    }
  } finally {
    await server.stop();
    await bench.close();
  }
}

/**
 * The usage bench compares with a platform whose rate limits are off and, when Redis answers, one
 * whose limits are shared through Redis at a rate just above what the load reaches (so its leases
 * are real: about two a second), not lifted out of the way.
 */
async function benchmarkWithoutLimits(server: Awaited<ReturnType<typeof startBenchServer>>, databaseUrl: string) {
  const unlimited = await startBenchServer(databaseUrl, { REDIS_URL: '', MAAS_RATE_LIMITS: 'off' });
  const sharedLimits = JSON.stringify({ FREE: { requestsPerMinute: 1_200_000, concurrentRequests: 1_000, monthlyRequests: 1e12 } });
  const shared = (await redisAnswers()) ? await startBenchServer(databaseUrl, { REDIS_URL: LOCAL_REDIS_URL, MAAS_PLAN_LIMITS: sharedLimits }) : undefined;
  try {
    return await benchmarkUsage({ on: server, off: unlimited, shared }, databaseUrl);
  } finally {
    await unlimited.stop();
    await shared?.stop();
  }
}

/** The training bench also needs a platform whose queue runs on Redis, when Redis answers. */
async function benchmarkOnBothQueues(server: Awaited<ReturnType<typeof startBenchServer>>, databaseUrl: string) {
  const redisServer = (await redisAnswers()) ? await startBenchServer(databaseUrl, { REDIS_URL: LOCAL_REDIS_URL }) : undefined;
  try {
    return await benchmarkTraining(server, redisServer);
  } finally {
    await redisServer?.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
