import { benchApiKey } from './bench-account';
import { BenchmarkReport } from './measure';
import { BenchServer, compareUnderLoad, load, LoadResult } from './bench-server';

const CONNECTIONS = 50;
const SECONDS = 3;
const ROUNDS = 5;

/** Authenticated no-op requests per second vs unauthenticated ones on the same server, same run. */
export async function benchmarkApiKeyAuth(server: BenchServer): Promise<BenchmarkReport> {
  const apiKey = await benchApiKey(server.url);

  await load({ url: `${server.url}/bench/public`, connections: CONNECTIONS, seconds: 2 });
  const { open, authenticated } = await compareUnderLoad(
    {
      authenticated: () => load({ url: `${server.url}/bench/authenticated`, connections: CONNECTIONS, seconds: SECONDS, headers: { authorization: `Bearer ${apiKey}` } }),
      open: () => load({ url: `${server.url}/bench/public`, connections: CONNECTIONS, seconds: SECONDS, headers: { authorization: `Bearer ${apiKey}` } }),
    },
    ROUNDS,
  );
  if (authenticated.non2xx > 0) throw new Error(`authenticated requests failed: ${authenticated.non2xx} non-2xx answers`);
  const ratio = authenticated.requestsPerSecond / open.requestsPerSecond;
  return {
    title: `API-key verification: no-op route, ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${SECONDS} s rounds`,
    rows: [row('unauthenticated (@Public)', open), row('API key (Bearer mk_…)', authenticated)],
    goals: [{ name: 'authenticated / unauthenticated req/s', value: ratio, target: '>= 0.9', met: ratio >= 0.9 }],
  };
}

function row(name: string, result: LoadResult) {
  return { requests: name, 'req/s': Math.round(result.requestsPerSecond), 'p50 ms': result.p50Ms, 'p99 ms': result.p99Ms, errors: result.errors };
}
