import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';
import { BatchingSettings, DynamicBatcher, RequestLimits } from './dynamic-batcher';
import { ModelWork, ModelWorkExecutor, WorkResult } from './model-work';
import type { HostedModel } from './hosted-model';
import type { ModelHosts } from './model-hosts';
import { ModelStatistics } from './model-statistics';
import type { JsonAnswer, JsonRequest, ModelBytes } from './worker-protocol';

export interface ServedModelOptions {
  name: string;
  format: ModelFormat;
  /** The model's bytes as they are decrypted: hosts receive them meanwhile. */
  bytes: ModelBytes;
  device: Device;
  /** Where the sessions live (shared by every model of the process). */
  hosts: ModelHosts;
  /** Sessions of the model, on distinct hosts: the executors of its batcher. */
  replicas: number;
  threadsPerSession: number;
  /** Settings from the version's metadata; defaults depend on the signature. */
  batching?: Partial<BatchingSettings>;
  /** Told of every execution (items in the batch, compute time), e.g. for metrics. */
  onExecution?: (items: number, computeNs: number) => void;
  /** Told once if a host of the model died: the model must be loaded again. */
  onLost?: () => void;
}

/**
 * One loaded model version: its sessions on the process's model hosts, its dynamic batcher and its
 * statistics. Batching is on by default when every input and output has a variable first dimension.
 */
export class ServedModel {
  readonly statistics = new ModelStatistics();
  readonly batcher: DynamicBatcher<ModelWork, WorkResult>;

  private constructor(
    private readonly hosted: HostedModel,
    readonly settings: BatchingSettings,
    options: ServedModelOptions,
  ) {
    const executor = new ModelWorkExecutor(hosted, settings, (items, computeNs) => {
      this.statistics.recordExecution(items, computeNs);
      options.onExecution?.(items, computeNs);
    });
    this.batcher = new DynamicBatcher(options.name, executor, settings, hosted.size);
  }

  static async load(options: ServedModelOptions): Promise<ServedModel> {
    const setup = { format: options.format, device: options.device, threads: options.threadsPerSession };
    const hosted = await options.hosts.load(setup, options.bytes, options.replicas, () => options.onLost?.());
    return new ServedModel(hosted, batchingSettings(hosted.signature, options.batching), options);
  }

  get signature(): ModelSignature {
    return this.hosted.signature;
  }

  get runtimeInfo(): Record<string, unknown> {
    return this.hosted.runtimeInfo;
  }

  /** The worker threads holding its sessions. */
  get hosts() {
    return this.hosted.hosts;
  }

  async infer(inputs: Tensor[], outputs: string[] | undefined, limits: RequestLimits): Promise<{ outputs: Tensor[]; queueNs: number }> {
    const { result, queueNs } = await this.batcher.enqueue({ kind: 'tensors', inputs, outputs }, limits);
    return { outputs: result as Tensor[], queueNs };
  }

  /** A KServe V2 JSON body, decoded, run and encoded by the model's host; a failure comes back as an answer, not thrown. */
  async inferJson(request: JsonRequest, limits: RequestLimits): Promise<{ answer: JsonAnswer; queueNs: number }> {
    const { result, queueNs } = await this.batcher.enqueue({ kind: 'json', request }, limits);
    return { answer: result as JsonAnswer, queueNs };
  }

  release(): Promise<void> {
    return this.hosted.release();
  }
}

/**
 * Rows per execution unless the version says otherwise. Not more: under 64 and 128 connections a cap
 * of 64 let one batch take every waiting request, so requests moved as one convoy (the host idle while
 * the event loop wrote 30–60 answers at once, then the event loop idle while the host ran them); 32
 * served 1.1–1.2× the requests in alternated A/B rounds (24 and 16 were no better, 8 worse).
 */
const DEFAULT_MAX_BATCH = 32;

export function batchingSettings(signature: ModelSignature, configured: Partial<BatchingSettings> = {}): BatchingSettings {
  const batchable = [...signature.inputs, ...signature.outputs].every((spec) => spec.shape[0] === -1);
  return {
    maxBatchSize: configured.maxBatchSize ?? (batchable ? DEFAULT_MAX_BATCH : 0),
    maxQueueDelayMs: configured.maxQueueDelayMs ?? 1,
    maxQueueSize: configured.maxQueueSize ?? 1024,
  };
}
