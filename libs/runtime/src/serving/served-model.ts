import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';
import { BatchingSettings, DynamicBatcher, RequestLimits } from './dynamic-batcher';
import { ModelStatistics } from './model-statistics';
import { WorkerPool } from './worker-pool';
import type { ModelBytes } from './worker-protocol';

export interface ServedModelOptions {
  name: string;
  format: ModelFormat;
  /** The model's bytes as they are decrypted: workers start, and receive them, meanwhile. */
  bytes: ModelBytes;
  device: Device;
  workers: number;
  threadsPerWorker: number;
  /** Settings from the version's metadata; defaults depend on the signature. */
  batching?: Partial<BatchingSettings>;
  /** Told of every execution (items in the batch, compute time), e.g. for metrics. */
  onExecution?: (items: number, computeNs: number) => void;
}

/**
 * One loaded model version: its worker pool, its dynamic batcher and its statistics. Batching is
 * on by default when every input and output has a variable first dimension.
 */
export class ServedModel {
  readonly statistics = new ModelStatistics();
  readonly batcher: DynamicBatcher;

  private constructor(
    private readonly pool: WorkerPool,
    readonly settings: BatchingSettings,
    options: ServedModelOptions,
  ) {
    this.batcher = new DynamicBatcher(options.name, (inputs, outputs) => pool.run(inputs, outputs), settings, pool.size, (items, computeNs) => {
      this.statistics.recordExecution(items, computeNs);
      options.onExecution?.(items, computeNs);
    });
  }

  static async load(options: ServedModelOptions): Promise<ServedModel> {
    const pool = await WorkerPool.start({ format: options.format, device: options.device, threads: options.threadsPerWorker }, options.workers, options.bytes);
    return new ServedModel(pool, batchingSettings(pool.signature, options.batching), options);
  }

  get signature(): ModelSignature {
    return this.pool.signature;
  }

  get runtimeInfo(): Record<string, unknown> {
    return this.pool.runtimeInfo;
  }

  infer(inputs: Tensor[], outputs: string[] | undefined, limits: RequestLimits) {
    return this.batcher.enqueue(inputs, outputs, limits);
  }

  release(): Promise<void> {
    return this.pool.release();
  }
}

const DEFAULT_MAX_BATCH = 64;

export function batchingSettings(signature: ModelSignature, configured: Partial<BatchingSettings> = {}): BatchingSettings {
  const batchable = [...signature.inputs, ...signature.outputs].every((spec) => spec.shape[0] === -1);
  return {
    maxBatchSize: configured.maxBatchSize ?? (batchable ? DEFAULT_MAX_BATCH : 0),
    maxQueueDelayMs: configured.maxQueueDelayMs ?? 1,
    maxQueueSize: configured.maxQueueSize ?? 1024,
  };
}
