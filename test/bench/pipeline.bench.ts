import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { photoLikeJpeg } from '../fixtures/images';
import { channelMeanOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer, load } from './bench-server';
import { BenchmarkReport } from './measure';

const SIZE = 224;
const SEQUENTIAL_REQUESTS = 40;
const WARMUP = 5;
const CONNECTIONS = 8;
const SECONDS = 5;
/** ImageNet's statistics on 0–255 pixels, as torchvision's transforms apply them. */
const IMAGENET = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };

/**
 * The image pipeline (issue #16): predict with a 640×480 JPEG decoded, resized to 224×224 and
 * normalised by the platform, against the same tensor sent pre-processed, and the decode + resize
 * against sharp alone in this process — the cost of doing it through the platform.
 */
export async function benchmarkPipeline(server: BenchServer): Promise<BenchmarkReport> {
  const client: BenchClient = { url: server.url, headers: { authorization: `Bearer ${await benchApiKey(server.url)}`, 'content-type': 'application/json' } };
  await uploadModel(client, 'images', channelMeanOnnx(SIZE));
  const pipeline = { preprocess: { image: [{ image: { width: SIZE, height: SIZE, fit: 'cover' } }, { normalize: IMAGENET }] }, postprocess: { softmax: true, labels: ['red', 'green', 'blue'] } };
  const stored = await fetch(`${client.url}/v1/models/images/versions/1/pipeline`, { method: 'PUT', headers: client.headers, body: JSON.stringify(pipeline) });
  if (stored.status !== 200) throw new Error(`pipeline refused: ${await stored.text()}`);

  const jpeg = await photoLikeJpeg(640, 480);
  const imageBody = JSON.stringify({ inputs: { image: jpeg.toString('base64') } });
  const tensor = await preprocessedTensor(jpeg);
  const bareSharpMs = medianOf(await timesOf(() => decodeAndResize(jpeg)));
  const steps = await serverTimings(client, imageBody);

  // The event loop is watched during the image load alone: decoding and resizing must not stall it.
  await fetch(`${server.url}/bench/loop-delay/reset`, { method: 'POST' });
  const image = await load({ url: `${client.url}/v1/models/images/predict`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, headers: client.headers, body: imageBody });
  const loopDelay = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number; maxMs: number };
  // A client that pre-processes itself sends the tensor the efficient way: KServe V2 with binary data (no pipeline there).
  const { header, body: tensorBody } = binaryInfer(tensor);
  await fetch(`${server.url}/bench/loop-delay/reset`, { method: 'POST' });
  const preprocessed = await load({ url: `${client.url}/v2/models/images/infer`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, headers: { ...client.headers, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header) }, body: tensorBody });
  const tensorLoopDelay = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number; maxMs: number };
  const platformDecodeRatio = steps.image / bareSharpMs;
  return {
    title: `Image pipeline: 640×480 JPEG (${Math.round(jpeg.byteLength / 1024)} KB) → ${SIZE}×${SIZE}×3, normalised, through predict`,
    rows: [
      { measure: 'sharp alone, decode + resize (this process, p50)', value: `${bareSharpMs.toFixed(2)} ms` },
      ...Object.entries(steps).map(([step, ms]) => ({ measure: `platform step "${step}" (Server-Timing, p50 of ${SEQUENTIAL_REQUESTS})`, value: `${ms.toFixed(2)} ms` })),
      { measure: `predict with the JPEG (c=${CONNECTIONS})`, value: `${image.requestsPerSecond.toFixed(0)} req/s, p50 ${image.p50Ms} ms, p99 ${image.p99Ms} ms${image.non2xx ? `, ${image.non2xx} non-2xx` : ''}` },
      { measure: `the same tensor pre-processed by the client, /v2 binary (c=${CONNECTIONS})`, value: `${preprocessed.requestsPerSecond.toFixed(0)} req/s, p50 ${preprocessed.p50Ms} ms, p99 ${preprocessed.p99Ms} ms${preprocessed.non2xx ? `, ${preprocessed.non2xx} non-2xx` : ''}` },
      { measure: 'event-loop delay during the JPEG load', value: `p99 ${loopDelay.p99Ms.toFixed(2)} ms, max ${loopDelay.maxMs.toFixed(2)} ms` },
      { measure: 'event-loop delay during the pre-processed tensor load', value: `p99 ${tensorLoopDelay.p99Ms.toFixed(2)} ms, max ${tensorLoopDelay.maxMs.toFixed(2)} ms` },
    ],
    goals: [
      { name: 'decode + resize through the platform / sharp alone', value: platformDecodeRatio, target: '≤ 1.2', met: platformDecodeRatio <= 1.2 },
      { name: 'event-loop p99 under the saturating JPEG load (ms)', value: loopDelay.p99Ms, target: '< 10', met: loopDelay.p99Ms < 10 },
    ],
  };
}

/** What the bare script does: the same sharp calls the pipeline's image step makes, to raw pixels. */
function decodeAndResize(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg, { failOn: 'error' }).rotate().removeAlpha().toColourspace('srgb').resize(SIZE, SIZE, { fit: 'cover' }).raw().toBuffer();
}

async function preprocessedTensor(jpeg: Buffer): Promise<Float32Array> {
  const pixels = await decodeAndResize(jpeg);
  return Float32Array.from(pixels, (value, index) => (value - IMAGENET.mean[index % 3]) / IMAGENET.std[index % 3]);
}

/** A KServe V2 request with the tensor as binary data (Triton's extension): the JSON header's length, then the body. */
function binaryInfer(tensor: Float32Array): { header: number; body: Buffer } {
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'image', datatype: 'FP32', shape: [1, SIZE, SIZE, 3], parameters: { binary_data_size: tensor.byteLength } }] }));
  return { header: header.byteLength, body: Buffer.concat([header, Buffer.from(tensor.buffer)]) };
}

/** p50 of each step the platform names in Server-Timing, over sequential requests (one at a time, as the bare script runs). */
async function serverTimings(client: BenchClient, body: string): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let request = 0; request < WARMUP + SEQUENTIAL_REQUESTS; request++) {
    const response = await fetch(`${client.url}/v1/models/images/predict`, { method: 'POST', headers: client.headers, body });
    if (response.status !== 200) throw new Error(`predict failed: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    if (request < WARMUP) continue;
    for (const entry of (response.headers.get('server-timing') ?? '').split(', ')) {
      const [step, duration] = entry.split(';dur=');
      (samples[step] ??= []).push(Number(duration));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([step, values]) => [step, medianOf(values)]));
}

async function timesOf(operation: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < WARMUP + SEQUENTIAL_REQUESTS; run++) {
    const started = performance.now();
    await operation();
    if (run >= WARMUP) samples.push(performance.now() - started);
  }
  return samples;
}

function medianOf(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
