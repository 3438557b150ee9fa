import { printReport } from './measure';
import { benchmarkTensorCodec } from './tensor-codec.bench';

/** `npm run bench`: every benchmark, one after the other, in one process. */
async function main(): Promise<void> {
  printReport(benchmarkTensorCodec());
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
