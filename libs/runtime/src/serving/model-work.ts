import { BatchMember, batchRows, runAsOneBatch, shareBatch, Tensor } from '@maas/tensor';
import type { BatchExecutor, BatchingSettings } from './dynamic-batcher';
import type { HostedModel } from './hosted-model';
import type { JsonAnswer, JsonRequest } from './worker-protocol';

/** A request queued for a served model: tensors decoded on the main thread, or a KServe V2 JSON body its host decodes. */
export type ModelWork = TensorWork | JsonWork;

export interface TensorWork extends BatchMember {
  kind: 'tensors';
  inputs: Tensor[];
  outputs?: string[];
}

export interface JsonWork {
  kind: 'json';
  request: JsonRequest;
}

/** The outputs of tensor work; the encoded answer (or failure) of JSON work. */
export type WorkResult = Tensor[] | JsonAnswer;

/**
 * How a served model's batches run on its hosts. Tensor requests that share a batch are concatenated
 * here and run as one; JSON bodies are not decoded on this thread, so they batch together as they
 * come (one row each, as far as this side knows) and the host regroups them by shape
 * (json-requests.ts). Every execution is reported with its rows and compute time.
 */
export class ModelWorkExecutor implements BatchExecutor<ModelWork, WorkResult> {
  constructor(
    private readonly hosted: HostedModel,
    private readonly settings: BatchingSettings,
    private readonly onExecution: (items: number, computeNs: number) => void,
  ) {}

  items(work: ModelWork): number {
    return work.kind === 'tensors' ? batchRows(work) : 1;
  }

  shareBatch(a: ModelWork, b: ModelWork): boolean {
    if (a.kind === 'tensors' && b.kind === 'tensors') return shareBatch(a, b);
    // JSON requests share a run, whose answers all carry one model name and version.
    return a.kind === 'json' && b.kind === 'json' && a.request.modelName === b.request.modelName && a.request.modelVersion === b.request.modelVersion;
  }

  async execute(batch: ModelWork[]): Promise<WorkResult[]> {
    if (batch[0].kind === 'json') {
      const { answers, executions } = await this.hosted.runJson(batch.map((work) => (work as JsonWork).request), this.settings.maxBatchSize);
      for (const execution of executions) this.onExecution(execution.rows, execution.computeNs);
      return answers;
    }
    const { perMember, execution, rows } = await runAsOneBatch(batch as TensorWork[], (inputs, outputs) => this.hosted.run(inputs, outputs));
    this.onExecution(rows, execution.computeNs);
    return perMember;
  }
}
