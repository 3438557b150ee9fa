import { performance } from 'node:perf_hooks';
import { convOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from './bench-account';
import { BenchClient, uploadModel } from './bench-models';
import { BenchServer } from './bench-server';
import { BenchmarkReport } from './measure';

/** Sequential requests per version and batch size, alternated; the median counts. */
const REQUESTS = 30;

interface Report {
  sizeBytes: { parent: number; compressed: number; ratio: number };
  outputs: Array<{ relativeL2: number; argmaxAgreement?: number }>;
  resultVersion: number;
}

/**
 * Model compression (issue #12): the heavy MLP in int8 and a CNN in fp16, compressed through the
 * API, then the parent and the compressed version called through the gateway one request at a time
 * (KServe V2 binary), side by side.
 */
export async function benchmarkCompression(server: BenchServer): Promise<BenchmarkReport> {
  const client: BenchClient = { url: server.url, headers: { authorization: `Bearer ${await benchApiKey(server.url)}` } };
  await uploadModel(client, 'heavy', mlpOnnx([1024, 4096, 4096, 10]));
  await uploadModel(client, 'cnn', convOnnx(32, 32));
  const int8 = await compressed(client, 'heavy', 'int8');
  const fp16 = await compressed(client, 'cnn', 'fp16');
  const heavy1 = await alternated(client, 'heavy', int8.resultVersion, [1, 1024], 'input');
  const heavy64 = await alternated(client, 'heavy', int8.resultVersion, [64, 1024], 'input');
  const cnn8 = await alternated(client, 'cnn', fp16.resultVersion, [8, 3, 32, 32], 'image');
  return {
    title: 'Model compression: parent vs compressed version through the gateway (p50 of sequential /v2 binary requests)',
    rows: [
      { model: 'MLP 1024→4096→4096→10, int8', size: `${mb(int8.sizeBytes.parent)} → ${mb(int8.sizeBytes.compressed)} MB (${int8.sizeBytes.ratio.toFixed(2)}×)`, 'batch 1': describe(heavy1), 'batch 64': describe(heavy64), 'relative L2': int8.outputs[0].relativeL2.toExponential(2), 'argmax agreement': int8.outputs[0].argmaxAgreement ?? '—' },
      { model: 'CNN 3→32→64→64 on 32×32, fp16', size: `${mb(fp16.sizeBytes.parent)} → ${mb(fp16.sizeBytes.compressed)} MB (${fp16.sizeBytes.ratio.toFixed(2)}×)`, 'batch 1': '—', 'batch 64': `batch 8: ${describe(cnn8)}`, 'relative L2': fp16.outputs[0].relativeL2.toExponential(2), 'argmax agreement': fp16.outputs[0].argmaxAgreement ?? '—' },
    ],
    goals: [
      { name: 'int8 MLP: smaller by', value: int8.sizeBytes.ratio, target: '≥ 3.5×', met: int8.sizeBytes.ratio >= 3.5 },
      { name: 'int8 MLP: faster at batch 64 through the gateway', value: heavy64.speedup, target: '≥ 2.5×', met: heavy64.speedup >= 2.5 },
      { name: 'fp16 CNN: smaller by', value: fp16.sizeBytes.ratio, target: '≥ 1.9×', met: fp16.sizeBytes.ratio >= 1.9 },
      { name: 'fp16 CNN: speed vs its parent', value: cnn8.speedup, target: '0.9–1.1×', met: cnn8.speedup >= 0.9 && cnn8.speedup <= 1.1 },
    ],
  };
}

async function compressed(client: BenchClient, model: string, method: string): Promise<Report> {
  const created = await fetch(`${client.url}/v1/models/${model}/versions/1/compress`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body: JSON.stringify({ method }) });
  if (created.status !== 201) throw new Error(`compress ${model} refused: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (;;) {
    const job = (await (await fetch(`${client.url}/v1/compressions/${id}`, { headers: client.headers })).json()) as { status: string; report: Report; error: unknown };
    if (job.status === 'succeeded') return job.report;
    if (job.status === 'failed') throw new Error(`compression of ${model} failed: ${JSON.stringify(job.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Version 1 and the compressed version, one request after the other, `REQUESTS` times each. */
async function alternated(client: BenchClient, model: string, version: number, shape: number[], input: string) {
  const data = Float32Array.from({ length: shape.reduce((product, size) => product * size, 1) }, (_, index) => Math.sin(index));
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: input, datatype: 'FP32', shape, parameters: { binary_data_size: data.byteLength } }], parameters: { binary_data_output: true } }));
  const body = Buffer.concat([header, Buffer.from(data.buffer)]);
  const call = async (v: number) => {
    const started = performance.now();
    const response = await fetch(`${client.url}/v2/models/${model}/versions/${v}/infer`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.byteLength) }, body });
    if (response.status !== 200) throw new Error(`infer ${model} v${v}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    return performance.now() - started;
  };
  await call(1);
  await call(version);
  const [parent, child]: [number[], number[]] = [[], []];
  for (let request = 0; request < REQUESTS; request++) {
    parent.push(await call(1));
    child.push(await call(version));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { parentMs: median(parent), compressedMs: median(child), speedup: median(parent) / median(child) };
}

function describe(result: { parentMs: number; compressedMs: number; speedup: number }): string {
  return `${result.parentMs.toFixed(2)} → ${result.compressedMs.toFixed(2)} ms (${result.speedup.toFixed(2)}×)`;
}

function mb(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(1);
}
