import { benchmarkApiKeyAuth } from './api-key-auth.bench';
import { openBenchDatabase } from './bench-database';
import { startBenchServer } from './bench-server';
import { printReport } from './measure';
import { benchmarkStorage } from './storage.bench';
import { benchmarkGateway } from './gateway.bench';
import { benchmarkTensorCodec } from './tensor-codec.bench';

/** `npm run bench`: every benchmark, one after the other, each comparing side by side in one run. */
async function main(): Promise<void> {
  printReport(benchmarkTensorCodec());

  const bench = await openBenchDatabase();
  const server = await startBenchServer(bench.database.url);
  try {
    printReport(await benchmarkApiKeyAuth(server));
    printReport(await benchmarkStorage(server));
    printReport(await benchmarkGateway(server));
  } finally {
    await server.stop();
    await bench.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
