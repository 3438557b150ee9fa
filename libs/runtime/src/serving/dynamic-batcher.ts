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

/** What the batcher needs to know of the work it queues, and how a batch of it runs. */
export interface BatchExecutor<W, R> {
  /** Items (rows of dimension 0) the work adds to a batch. */
  items(work: W): number;
  /** Whether two pieces of work can run in one batch. */
  shareBatch(a: W, b: W): boolean;
  /** Runs the batch as one execution; one result per member, in order. */
  execute(batch: W[]): Promise<R[]>;
}

interface Pending<W, R> {
  work: W;
  items: number;
  enqueuedAt: number;
  deadline: number;
  abandoned?: () => boolean;
  /** Answered (or failed): a batch that finishes after the deadline changes nothing. */
  settled: boolean;
  resolve: (answer: { result: R; queueNs: number }) => void;
  reject: (error: unknown) => void;
}

/**
 * Triton-style dynamic batching for one loaded model. Requests queue; whenever an executor is
 * free, the oldest request and every queued one that can share its batch (BatchExecutor.shareBatch)
 * run as one call. Under load, requests gather while the executors are busy.
 * Deadlines are enforced by one watchdog per batcher while it has work, not by a timer and an
 * AbortSignal per request: those cost the hot path more than the batching itself.
 */
export class DynamicBatcher<W, R> {
  private readonly queue: Pending<W, R>[] = [];
  private readonly inFlight = new Set<Pending<W, R>>();
  private running = 0;
  private timer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly modelName: string,
    private readonly executor: BatchExecutor<W, R>,
    private readonly settings: BatchingSettings,
    private readonly executors: number,
  ) {}

  enqueue(work: W, limits: RequestLimits): Promise<{ result: R; queueNs: number }> {
    if (this.queue.length >= this.settings.maxQueueSize) return Promise.reject(new ModelOverloadedError(this.modelName, this.queue.length));
    return new Promise((resolve, reject) => {
      const enqueuedAt = performance.now();
      const pending: Pending<W, R> = { work, items: this.executor.items(work), enqueuedAt, deadline: enqueuedAt + limits.timeoutMs, abandoned: limits.abandoned, settled: false, resolve, reject };
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
    const expired = (pending: Pending<W, R>) => pending.deadline <= now;
    this.dropQueued(expired, (pending) => this.timedOut(pending));
    for (const pending of this.inFlight) if (expired(pending)) this.fail(pending, this.timedOut(pending));
    if (this.queue.length === 0 && this.inFlight.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  private timedOut(pending: Pending<W, R>): InferenceTimeoutError {
    return new InferenceTimeoutError(this.modelName, Math.round(pending.deadline - pending.enqueuedAt));
  }

  private fail(pending: Pending<W, R>, error: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.reject(error);
  }

  /** Takes the queued requests that match out of the queue and fails each with its reason. */
  private dropQueued(matches: (pending: Pending<W, R>) => boolean, reason: (pending: Pending<W, R>) => Error): void {
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
  private takeBatch(): Pending<W, R>[] | undefined {
    const head = this.queue[0];
    const members = this.batchable() ? this.queue.filter((pending) => this.executor.shareBatch(head.work, pending.work)) : [head];
    const chosen: Pending<W, R>[] = [];
    let items = 0;
    for (const pending of members) {
      if (chosen.length > 0 && items + pending.items > this.settings.maxBatchSize) break;
      chosen.push(pending);
      items += pending.items;
    }
    const waited = performance.now() - head.enqueuedAt;
    const full = !this.batchable() || items >= this.settings.maxBatchSize || chosen.length < members.length;
    if (!full && waited < this.settings.maxQueueDelayMs && this.running > 0) return undefined;
    // One pass, not an indexOf and a splice per member: batches take dozens of requests.
    const taken = new Set<Pending<W, R>>(chosen);
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

  private async run(batch: Pending<W, R>[]): Promise<void> {
    this.running++;
    for (const pending of batch) this.inFlight.add(pending);
    const startedAt = performance.now();
    try {
      const results = await this.executor.execute(batch.map((pending) => pending.work));
      batch.forEach((pending, index) => {
        if (pending.settled) return;
        pending.settled = true;
        pending.resolve({ result: results[index], queueNs: (startedAt - pending.enqueuedAt) * 1e6 });
      });
    } catch (error) {
      for (const pending of batch) this.fail(pending, error);
    } finally {
      for (const pending of batch) this.inFlight.delete(pending);
      this.running--;
      this.pump();
    }
  }

  private batchable(): boolean {
    return this.settings.maxBatchSize > 1;
  }
}
