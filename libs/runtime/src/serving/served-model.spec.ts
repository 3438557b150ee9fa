import { describe, expect, it } from 'vitest';
import { mlpOnnx } from '../../../../test/fixtures/onnx-models';
import { afterAll } from 'vitest';
import { ModelHosts } from './model-hosts';
import { batchingSettings, ServedModel, ServedModelOptions } from './served-model';
import type { ModelBytes } from './worker-protocol';

const MODEL = mlpOnnx([4, 8, 2]);

/** The model in 100-byte pieces, as ArtifactStore.openChunks would hand them over (fresh buffers). */
async function* pieces(bytes: Uint8Array, fail?: Error): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += 100) {
    if (fail && offset >= 200) throw fail;
    yield Uint8Array.from(bytes.subarray(offset, offset + 100));
  }
}

const hosts = new ModelHosts({ sharedHosts: 2, dedicatedAboveBytes: 64 * 2 ** 20 });
afterAll(() => hosts.close());

const options = (bytes: ModelBytes, replicas = 2): ServedModelOptions => ({ name: 'mlp', format: 'onnx', bytes, device: 'cpu', hosts, replicas, threadsPerSession: 1 });

describe('ServedModel loading from streamed pieces', () => {
  it('assembles the model in every worker and serves it', async () => {
    const served = await ServedModel.load(options({ sizeBytes: MODEL.byteLength, chunks: pieces(MODEL) }));
    try {
      expect(served.signature.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 4] }]);
      const results = await Promise.all([1, 2, 3, 4].map(() => served.infer([{ name: 'input', datatype: 'FP32', shape: [1, 4], data: Float32Array.from([1, 2, 3, 4]) }], undefined, { timeoutMs: 10_000 })));
      expect(new Set(results.map((result) => JSON.stringify(Array.from(result.outputs[0].data as Float32Array)))).size).toBe(1);
    } finally {
      await served.release();
    }
  });

  it('fails the load, without hanging, when the pieces do not add up to the announced size', async () => {
    await expect(ServedModel.load(options({ sizeBytes: MODEL.byteLength + 10, chunks: pieces(MODEL) }))).rejects.toThrow(`the model has ${MODEL.byteLength} of the ${MODEL.byteLength + 10} bytes announced`);
    await expect(ServedModel.load(options({ sizeBytes: MODEL.byteLength - 10, chunks: pieces(MODEL) }))).rejects.toThrow(`the model has more than the ${MODEL.byteLength - 10} bytes announced`);
  });

  it('passes on the error of a source that fails mid-way (a chunk that does not decrypt)', async () => {
    await expect(ServedModel.load(options({ sizeBytes: MODEL.byteLength, chunks: pieces(MODEL, new Error('chunk 2 does not decrypt')) }))).rejects.toThrow('chunk 2 does not decrypt');
  });
});

describe('batchingSettings', () => {
  const batchable = { inputs: [{ name: 'input', datatype: 'FP32' as const, shape: [-1, 4] }], outputs: [{ name: 'output', datatype: 'FP32' as const, shape: [-1, 2] }] };

  it('batches up to 32 rows by default when every first dimension is variable', () => {
    expect(batchingSettings(batchable)).toEqual({ maxBatchSize: 32, maxQueueDelayMs: 1, maxQueueSize: 1024 });
  });

  it('does not batch a model with a fixed first dimension, and takes what the version configures', () => {
    expect(batchingSettings({ ...batchable, inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4] }] }).maxBatchSize).toBe(0);
    expect(batchingSettings(batchable, { maxBatchSize: 64, maxQueueDelayMs: 3 })).toEqual({ maxBatchSize: 64, maxQueueDelayMs: 3, maxQueueSize: 1024 });
  });
});
