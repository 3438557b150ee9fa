import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ArtifactCipher } from '@maas/storage';
import { mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchServer } from './bench-server';
import { httpDownload, httpUpload } from './http-transfer';
import { BenchmarkReport, megabytesPerSecond } from './measure';
import { residentMegabytes, resetPeak } from './process-memory';

const CHUNK = 1024 * 1024;
/** Each contender runs this many times; its median counts, so one noisy pass does not decide. */
const ROUNDS = 3;

/**
 * A ~256 MiB ONNX model (one 4096×16384 Gemm) uploaded and downloaded through the registry API,
 * against raw AES-256-GCM of the same bytes in this process; with the server's peak RSS growth.
 * For scale, the same number of 1 MiB rows written straight into PostgreSQL: the ceiling any
 * upload into this database meets, whatever the server does.
 */
export async function benchmarkStorage(server: BenchServer, databaseUrl: string): Promise<BenchmarkReport> {
  const model = mlpOnnx([4096, 16384]);
  const bytes = model.byteLength;
  const rawCryptoMs = median(await repeat(async () => timeRawSealing(model)));
  const databaseMs = median(await repeat(() => timeDatabaseInserts(databaseUrl, bytes)));

  const apiKey = await benchApiKey(server.url);
  const headers = { authorization: `Bearer ${apiKey}` };
  await fetch(`${server.url}/v1/models`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'big' }) });

  const pid = server.child.pid!;
  const { ms: uploadMs, peakGrowth: uploadPeakGrowth } = await transfers(pid, async () => {
    const upload = await httpUpload(`${server.url}/v1/models/big/versions`, { ...headers, 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' }, model);
    if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${upload.text}`);
  });
  const { ms: downloadMs, peakGrowth: downloadPeakGrowth } = await transfers(pid, async () => {
    const download = await httpDownload(`${server.url}/v1/models/big/versions/1/artifact`, headers);
    if (download.status !== 200 || download.bytes !== bytes) throw new Error(`download returned ${download.status} with ${download.bytes} of ${bytes} bytes`);
  });

  await settleDatabase(databaseUrl);

  const uploadRatio = rawCryptoMs / uploadMs;
  const downloadRatio = rawCryptoMs / downloadMs;
  const row = (path: string, milliseconds: number, growth: number | string) => ({ path, 'MB/s': round(megabytesPerSecond(bytes, milliseconds)), 'ratio to raw crypto': round(rawCryptoMs / milliseconds), 'server peak RSS growth MiB': typeof growth === 'number' ? Math.round(growth) : growth });
  return {
    title: `Encrypted storage: ${(bytes / 2 ** 20).toFixed(0)} MiB ONNX model through the API vs raw AES-256-GCM (medians of ${ROUNDS})`,
    rows: [
      row('raw AES-256-GCM, 1 MiB chunks, one process', rawCryptoMs, '-'),
      row('PostgreSQL alone: as many 1 MiB rows, INSERT, 3 in flight', databaseMs, '-'),
      row('upload (stream → encrypt → PostgreSQL, validated in a child process)', uploadMs, uploadPeakGrowth),
      row('download (PostgreSQL → decrypt → stream)', downloadMs, downloadPeakGrowth),
    ],
    goals: [
      { name: 'upload throughput / raw crypto throughput', value: uploadRatio, target: '>= 0.5', met: uploadRatio >= 0.5 },
      { name: 'download throughput / raw crypto throughput', value: downloadRatio, target: '>= 0.5', met: downloadRatio >= 0.5 },
      { name: 'server peak RSS growth during the upload, MiB', value: uploadPeakGrowth, target: '< 150', met: uploadPeakGrowth < 150 },
    ],
  };
}

/** Milliseconds to seal the bytes chunk by chunk, as the store does, without I/O. */
function timeRawSealing(bytes: Buffer): number {
  const key = randomBytes(32);
  const start = performance.now();
  for (let offset = 0, index = 0; offset < bytes.byteLength; offset += CHUNK, index++) ArtifactCipher.sealChunk(key, '00000000-0000-4000-8000-000000000000', index, bytes.subarray(offset, offset + CHUNK), offset + CHUNK >= bytes.byteLength);
  return performance.now() - start;
}

/** Milliseconds to insert `bytes` as 1 MiB rows into a table shaped like ArtifactChunk, as the store does. */
async function timeDatabaseInserts(databaseUrl: string, bytes: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_chunk (id uuid, index int, nonce bytea, ciphertext bytea, PRIMARY KEY (id, index)); ALTER TABLE bench_chunk ALTER COLUMN ciphertext SET STORAGE EXTERNAL');
    const row = randomBytes(CHUNK + 16);
    const id = randomUUID();
    const inFlight = new Set<Promise<unknown>>();
    const start = performance.now();
    for (let index = 0; index * CHUNK < bytes; index++) {
      const insert = pool.query('INSERT INTO bench_chunk VALUES ($1, $2, $3, $4)', [id, index, randomBytes(12), row]);
      inFlight.add(insert);
      void insert.then(() => inFlight.delete(insert));
      if (inFlight.size >= 3) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const elapsed = performance.now() - start;
    await pool.query('DELETE FROM bench_chunk');
    return elapsed;
  } finally {
    await pool.end();
  }
}

/** ROUNDS runs of a transfer: the median milliseconds, and the server's largest peak RSS growth. */
async function transfers(pid: number, transfer: () => Promise<void>): Promise<{ ms: number; peakGrowth: number }> {
  let peakGrowth = 0;
  const ms = median(
    await repeat(async () => {
      const before = residentMegabytes(pid).current;
      resetPeak(pid);
      const start = performance.now();
      await transfer();
      const elapsed = performance.now() - start;
      peakGrowth = Math.max(peakGrowth, residentMegabytes(pid).peak - before);
      return elapsed;
    }),
  );
  return { ms, peakGrowth };
}

/**
 * Leaves the database quiet for the next benchmark: the gigabyte written and deleted here would
 * otherwise be vacuumed and checkpointed in the background while the gateway's cold start is timed.
 */
async function settleDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM "ArtifactChunk", bench_chunk');
    // Needs superuser (the local test server's postgres role has it); elsewhere it is skipped.
    await client.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await client.end();
  }
}

async function repeat(operation: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) samples.push(await operation());
  return samples;
}

function median(samples: number[]): number {
  return samples.slice().sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function round(value: number): number {
  return Number(value.toPrecision(3));
}
