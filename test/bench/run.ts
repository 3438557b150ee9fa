import { benchmarkApiKeyAuth } from './api-key-auth.bench';
import { openBenchDatabase } from './bench-database';
import { startBenchServer } from './bench-server';
import { printReport } from './measure';
import { benchmarkStorage } from './storage.bench';
import { benchmarkGateway } from './gateway.bench';
import { benchmarkTensorCodec } from './tensor-codec.bench';

/**
 * `npm run bench`: every benchmark, one after the other, each comparing side by side in one run.
 * `npm run bench -- storage gateway` runs only the named ones (tensor, auth, storage, gateway).
 */
async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const wanted = (name: string) => selected.length === 0 || selected.includes(name);
  if (wanted('tensor')) printReport(benchmarkTensorCodec());
  if (!['auth', 'storage', 'gateway'].some(wanted)) return;

  const bench = await openBenchDatabase();
  const server = await startBenchServer(bench.database.url);
  try {
    if (wanted('auth')) printReport(await benchmarkApiKeyAuth(server));
    if (wanted('storage')) printReport(await benchmarkStorage(server, bench.database.url));
    if (wanted('gateway')) printReport(await benchmarkGateway(server));
  } finally {
    await server.stop();
    await bench.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
