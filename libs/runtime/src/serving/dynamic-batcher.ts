import { canBatchTogether, concatBatch, splitBatch, Tensor } from '@maas/tensor';
import { InferenceTimeoutError, ModelOverloadedError } from './serving-errors';

export interface BatchingSettings {
  /** Most items (rows of dimension 0) in one execution; 0 or 1 turns batching off. */
  maxBatchSize: number;
  /** How long the oldest request may wait for others to join its batch. */
  maxQueueDelayMs: number;
  /** Requests waiting beyond this are refused (503). */
  maxQueueSize: number;
}

/** A request's deadline and whether its caller has gone, checked by the batcher rather than timers per request. */
export interface RequestLimits {
  /** The request fails with InferenceTimeoutError (503) if it has no answer this long after it was queued. */
  timeoutMs: number;
  /** True once nobody waits for the answer (the client disconnected): the request leaves the queue unrun. */
  abandoned?: () => boolean;
}

export class RequestAbandonedError extends Error {
  constructor() {
    super('the client disconnected before its request ran');
  }
}

export type Execute = (inputs: Tensor[], outputs?: string[]) => Promise<{ outputs: Tensor[]; computeNs: number }>;

interface Pending {
  inputs: Tensor[];
  outputs?: string[];
  items: number;
  enqueuedAt: number;
  deadline: number;
  abandoned?: () => boolean;
  /** Answered (or failed): a batch that finishes after the deadline changes nothing. */
  settled: boolean;
  resolve: (result: { outputs: Tensor[]; queueNs: number }) => void;
  reject: (error: unknown) => void;
}

/**
 * Triton-style dynamic batching for one loaded model. Requests queue; whenever an executor is
 * free, the oldest request and every queued one that can share its batch (same inputs, same
 * non-batch dimensions, same requested outputs) run as one call, concatenated along dimension 0,
 * and the outputs are split back. Under load, requests gather while the executors are busy.
 * Deadlines are enforced by one watchdog per batcher while it has work, not by a timer and an
 * AbortSignal per request: those cost the hot path more than the batching itself.
 */
export class DynamicBatcher {
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Set<Pending>();
  private running = 0;
  private timer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly modelName: string,
    private readonly execute: Execute,
    private readonly settings: BatchingSettings,
    private readonly executors: number,
    private readonly onExecution: (items: number, computeNs: number) => void,
  ) {}

  enqueue(inputs: Tensor[], outputs: string[] | undefined, limits: RequestLimits): Promise<{ outputs: Tensor[]; queueNs: number }> {
    if (this.queue.length >= this.settings.maxQueueSize) return Promise.reject(new ModelOverloadedError(this.modelName, this.queue.length));
    return new Promise((resolve, reject) => {
      const enqueuedAt = performance.now();
      const pending: Pending = { inputs, outputs, items: inputs[0]?.shape[0] ?? 1, enqueuedAt, deadline: enqueuedAt + limits.timeoutMs, abandoned: limits.abandoned, settled: false, resolve, reject };
      this.queue.push(pending);
      this.watch(limits.timeoutMs);
      this.pump();
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Checks deadlines while requests wait or run, often enough for a timeout to be late by a tenth at most. */
  private watch(timeoutMs: number): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.expire(), Math.min(1_000, Math.max(10, timeoutMs / 10)));
    this.watchdog.unref();
  }

  private expire(): void {
    const now = performance.now();
    const expired = (pending: Pending) => pending.deadline <= now;
    this.dropQueued(expired, (pending) => this.timedOut(pending));
    for (const pending of this.inFlight) if (expired(pending)) this.fail(pending, this.timedOut(pending));
    if (this.queue.length === 0 && this.inFlight.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  private timedOut(pending: Pending): InferenceTimeoutError {
    return new InferenceTimeoutError(this.modelName, Math.round(pending.deadline - pending.enqueuedAt));
  }

  private fail(pending: Pending, error: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.reject(error);
  }

  /** Takes the queued requests that match out of the queue and fails each with its reason. */
  private dropQueued(matches: (pending: Pending) => boolean, reason: (pending: Pending) => Error): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      const pending = this.queue[index];
      if (!matches(pending)) continue;
      this.queue.splice(index, 1);
      this.fail(pending, reason(pending));
    }
  }

  private pump(): void {
    // Requests whose callers have gone leave the queue before a batch is formed.
    if (this.running < this.executors) this.dropQueued((pending) => pending.abandoned?.() === true, () => new RequestAbandonedError());
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
    // One pass, not an indexOf and a splice per member: batches reach 64 requests.
    const taken = new Set(chosen);
    const rest = this.queue.filter((pending) => !taken.has(pending));
    this.queue.length = 0;
    this.queue.push(...rest);
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
    for (const pending of batch) this.inFlight.add(pending);
    const startedAt = performance.now();
    try {
      const outputs = await this.executeBatch(batch);
      batch.forEach((pending, index) => {
        if (pending.settled) return;
        pending.settled = true;
        pending.resolve({ outputs: outputs.map((output) => output[index]), queueNs: (startedAt - pending.enqueuedAt) * 1e6 });
      });
    } catch (error) {
      for (const pending of batch) this.fail(pending, error);
    } finally {
      for (const pending of batch) this.inFlight.delete(pending);
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
