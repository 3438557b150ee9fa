import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ArtifactCipher } from '@maas/storage';
import { mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchServer } from './bench-server';
import { BenchmarkReport, megabytesPerSecond } from './measure';
import { residentMegabytes, resetPeak } from './process-memory';

const CHUNK = 1024 * 1024;

/**
 * A ~256 MiB ONNX model (one 4096×16384 Gemm) uploaded and downloaded through the registry API,
 * against raw AES-256-GCM of the same bytes in this process; with the server's peak RSS growth.
 */
export async function benchmarkStorage(server: BenchServer): Promise<BenchmarkReport> {
  const model = mlpOnnx([4096, 16384]);
  const bytes = model.byteLength;
  const rawCrypto = timeRawSealing(model);

  const apiKey = await benchApiKey(server.url);
  const headers = { authorization: `Bearer ${apiKey}` };
  await fetch(`${server.url}/v1/models`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'big' }) });

  const pid = server.child.pid!;
  const beforeUpload = residentMegabytes(pid).current;
  resetPeak(pid);
  let start = performance.now();
  const upload = await fetch(`${server.url}/v1/models/big/versions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' }, body: model });
  const uploadMs = performance.now() - start;
  if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${await upload.text()}`);
  const uploadPeakGrowth = residentMegabytes(pid).peak - beforeUpload;

  const beforeDownload = residentMegabytes(pid).current;
  resetPeak(pid);
  start = performance.now();
  const download = await fetch(`${server.url}/v1/models/big/versions/1/artifact`, { headers });
  let received = 0;
  for await (const part of download.body!) received += (part as Uint8Array).byteLength;
  const downloadMs = performance.now() - start;
  if (received !== bytes) throw new Error(`download returned ${received} of ${bytes} bytes`);
  const downloadPeakGrowth = residentMegabytes(pid).peak - beforeDownload;

  const uploadRatio = uploadMs === 0 ? 0 : rawCrypto / uploadMs;
  const downloadRatio = rawCrypto / downloadMs;
  return {
    title: `Encrypted storage: ${(bytes / 2 ** 20).toFixed(0)} MiB ONNX model through the API vs raw AES-256-GCM`,
    rows: [
      { path: 'raw AES-256-GCM, 1 MiB chunks, one process', 'MB/s': round(megabytesPerSecond(bytes, rawCrypto)), 'server peak RSS growth MiB': '-' },
      { path: 'upload (stream → encrypt → PostgreSQL, validated in a child process)', 'MB/s': round(megabytesPerSecond(bytes, uploadMs)), 'server peak RSS growth MiB': Math.round(uploadPeakGrowth) },
      { path: 'download (PostgreSQL → decrypt → stream)', 'MB/s': round(megabytesPerSecond(bytes, downloadMs)), 'server peak RSS growth MiB': Math.round(downloadPeakGrowth) },
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

function round(value: number): number {
  return Number(value.toPrecision(4));
}
