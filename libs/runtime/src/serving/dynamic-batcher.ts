import { canBatchTogether, concatBatch, splitBatch, Tensor } from '@maas/tensor';
import { ModelOverloadedError } from './serving-errors';

export interface BatchingSettings {
  /** Most items (rows of dimension 0) in one execution; 0 or 1 turns batching off. */
  maxBatchSize: number;
  /** How long the oldest request may wait for others to join its batch. */
  maxQueueDelayMs: number;
  /** Requests waiting beyond this are refused (503). */
  maxQueueSize: number;
}

export type Execute = (inputs: Tensor[], outputs?: string[]) => Promise<{ outputs: Tensor[]; computeNs: number }>;

interface Pending {
  inputs: Tensor[];
  outputs?: string[];
  items: number;
  enqueuedAt: number;
  signal?: AbortSignal;
  resolve: (result: { outputs: Tensor[]; queueNs: number }) => void;
  reject: (error: unknown) => void;
}

/**
 * Triton-style dynamic batching for one loaded model. Requests queue; whenever an executor is
 * free, the oldest request and every queued one that can share its batch (same inputs, same
 * non-batch dimensions, same requested outputs) run as one call, concatenated along dimension 0,
 * and the outputs are split back. Under load, requests gather while the executors are busy.
 */
export class DynamicBatcher {
  private readonly queue: Pending[] = [];
  private running = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly modelName: string,
    private readonly execute: Execute,
    private readonly settings: BatchingSettings,
    private readonly executors: number,
    private readonly onExecution: (items: number, computeNs: number) => void,
  ) {}

  enqueue(inputs: Tensor[], outputs?: string[], signal?: AbortSignal): Promise<{ outputs: Tensor[]; queueNs: number }> {
    if (this.queue.length >= this.settings.maxQueueSize) return Promise.reject(new ModelOverloadedError(this.modelName, this.queue.length));
    return new Promise((resolve, reject) => {
      const pending: Pending = { inputs, outputs, items: inputs[0]?.shape[0] ?? 1, enqueuedAt: performance.now(), signal, resolve, reject };
      signal?.addEventListener('abort', () => this.drop(pending), { once: true });
      this.queue.push(pending);
      this.pump();
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  private drop(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    this.queue.splice(index, 1);
    pending.reject(pending.signal?.reason ?? new Error('request aborted'));
  }

  private pump(): void {
    while (this.running < this.executors && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (!batch) return this.waitForMore();
      void this.run(batch);
    }
  }

  /** The next batch to run now, or undefined to wait (the head's batch is not full and has time left). */
  private takeBatch(): Pending[] | undefined {
    const head = this.queue[0];
    const members = this.batchable() ? this.queue.filter((pending) => shareBatch(head, pending)) : [head];
    const chosen: Pending[] = [];
    let items = 0;
    for (const pending of members) {
      if (chosen.length > 0 && items + pending.items > this.settings.maxBatchSize) break;
      chosen.push(pending);
      items += pending.items;
    }
    const waited = performance.now() - head.enqueuedAt;
    const full = !this.batchable() || items >= this.settings.maxBatchSize || chosen.length < members.length;
    if (!full && waited < this.settings.maxQueueDelayMs && this.running > 0) return undefined;
    for (const pending of chosen) this.queue.splice(this.queue.indexOf(pending), 1);
    return chosen;
  }

  private waitForMore(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.settings.maxQueueDelayMs);
  }

  private async run(batch: Pending[]): Promise<void> {
    this.running++;
    const startedAt = performance.now();
    try {
      const outputs = await this.executeBatch(batch);
      batch.forEach((pending, index) => pending.resolve({ outputs: outputs.map((output) => output[index]), queueNs: (startedAt - pending.enqueuedAt) * 1e6 }));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.running--;
      this.pump();
    }
  }

  /** Runs the batch as one execution; each output comes back split per request, in batch order. */
  private async executeBatch(batch: Pending[]): Promise<Tensor[][]> {
    if (batch.length === 1) {
      const { outputs, computeNs } = await this.execute(batch[0].inputs, batch[0].outputs);
      this.onExecution(batch[0].items, computeNs);
      return outputs.map((output) => [output]);
    }
    const inputs = batch[0].inputs.map((input) => concatBatch(batch.map((pending) => pending.inputs.find((candidate) => candidate.name === input.name)!)).tensor);
    const sizes = batch.map((pending) => pending.items);
    const { outputs, computeNs } = await this.execute(inputs, batch[0].outputs);
    this.onExecution(sizes.reduce((sum, size) => sum + size, 0), computeNs);
    return outputs.map((output) => splitBatch(output, sizes));
  }

  private batchable(): boolean {
    return this.settings.maxBatchSize > 1;
  }
}

/** Same input names, datatypes and non-batch dimensions, one shared first dimension, same outputs. */
function shareBatch(a: Pending, b: Pending): boolean {
  if (a === b) return true;
  if (a.inputs.length !== b.inputs.length || String(a.outputs) !== String(b.outputs)) return false;
  if (!a.inputs.every((input) => input.shape[0] === a.items) || !b.inputs.every((input) => input.shape[0] === b.items)) return false;
  return a.inputs.every((input) => {
    const other = b.inputs.find((candidate) => candidate.name === input.name);
    return other !== undefined && canBatchTogether(input, other);
  });
}
