import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { photoLikeJpeg } from '../fixtures/images';
import { channelMeanOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer, compareUnderLoad, load } from './bench-server';
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
  const tensorBody = JSON.stringify({ inputs: { image: await preprocessedTensor(jpeg) } });
  const bareSharpMs = medianOf(await timesOf(() => decodeAndResize(jpeg)));
  const steps = await serverTimings(client, imageBody);

  await fetch(`${server.url}/bench/loop-delay/reset`, { method: 'POST' });
  const { image, tensor } = await compareUnderLoad({
    image: () => load({ url: `${client.url}/v1/models/images/predict`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, headers: client.headers, body: imageBody }),
    tensor: () => load({ url: `${client.url}/v1/models/images/predict`, method: 'POST', connections: CONNECTIONS, seconds: SECONDS, headers: client.headers, body: tensorBody }),
  }, 1);
  const loopDelay = (await (await fetch(`${server.url}/bench/loop-delay`)).json()) as { p99Ms: number; maxMs: number };
  const platformDecodeRatio = steps.image / bareSharpMs;
  return {
    title: `Image pipeline: 640×480 JPEG (${Math.round(jpeg.byteLength / 1024)} KB) → ${SIZE}×${SIZE}×3, normalised, through predict`,
    rows: [
      { measure: 'sharp alone, decode + resize (this process, p50)', value: `${bareSharpMs.toFixed(2)} ms` },
      ...Object.entries(steps).map(([step, ms]) => ({ measure: `platform step "${step}" (Server-Timing, p50 of ${SEQUENTIAL_REQUESTS})`, value: `${ms.toFixed(2)} ms` })),
      { measure: `predict with the JPEG (c=${CONNECTIONS})`, value: `${image.requestsPerSecond.toFixed(0)} req/s, p50 ${image.p50Ms} ms, p99 ${image.p99Ms} ms${image.non2xx ? `, ${image.non2xx} non-2xx` : ''}` },
      { measure: `predict with the pre-processed tensor as JSON (c=${CONNECTIONS})`, value: `${tensor.requestsPerSecond.toFixed(0)} req/s, p50 ${tensor.p50Ms} ms, p99 ${tensor.p99Ms} ms${tensor.non2xx ? `, ${tensor.non2xx} non-2xx` : ''}` },
      { measure: 'event-loop delay during both loads', value: `p99 ${loopDelay.p99Ms.toFixed(2)} ms, max ${loopDelay.maxMs.toFixed(2)} ms` },
    ],
    goals: [
      { name: 'decode + resize through the platform / sharp alone', value: platformDecodeRatio, target: '≤ 1.2', met: platformDecodeRatio <= 1.2 },
      { name: 'event-loop p99 under image load (ms)', value: loopDelay.p99Ms, target: '< 10', met: loopDelay.p99Ms < 10 },
    ],
  };
}

/** What the bare script does: the same sharp calls the pipeline's image step makes, to raw pixels. */
function decodeAndResize(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg, { failOn: 'error' }).rotate().removeAlpha().toColourspace('srgb').resize(SIZE, SIZE, { fit: 'cover' }).raw().toBuffer();
}

async function preprocessedTensor(jpeg: Buffer): Promise<number[][][][]> {
  const pixels = await decodeAndResize(jpeg);
  const image = Array.from({ length: SIZE }, (_, y) => Array.from({ length: SIZE }, (_, x) => [0, 1, 2].map((channel) => Number(((pixels[(y * SIZE + x) * 3 + channel] - IMAGENET.mean[channel]) / IMAGENET.std[channel]).toFixed(4)))));
  return [image];
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
