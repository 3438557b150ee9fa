import { Worker } from 'node:worker_threads';
import type { ModelSignature, Tensor } from '@maas/tensor';
import { compiledEntry } from '../compiled-entry';
import { InvalidModelError } from '../runtime-errors';
import type { LoadMessage, ModelBytes, RunReply, WorkerReady, WorkerSetup } from './worker-protocol';

interface PooledWorker {
  worker: Worker;
  inFlight: Map<number, { resolve: (reply: { outputs: Tensor[]; computeNs: number }) => void; reject: (error: Error) => void }>;
}

/** Worker threads that each hold a session of the same model; a run goes to the least busy one. */
export class WorkerPool {
  private nextId = 1;
  private released = false;

  private constructor(
    private readonly workers: PooledWorker[],
    readonly signature: ModelSignature,
    readonly runtimeInfo: Record<string, unknown>,
  ) {}

  /**
   * Starts the threads at once (loading the runtime takes a while) and streams them the model while
   * it is decrypted (that takes a while too): each thread assembles its copy; the last one receives
   * the pieces transferred rather than copied.
   */
  static async start(setup: WorkerSetup, size: number, model: ModelBytes): Promise<WorkerPool> {
    const entry = compiledEntry(__dirname, 'model-worker.js');
    const threads = Array.from({ length: size }, () => new Worker(entry, { workerData: setup }));
    // Watched from the start: a thread that dies while the model streams in must not be waited on.
    const exits = threads.map((thread) => new Promise<number>((resolve) => thread.once('exit', resolve)));
    try {
      await streamModel(threads, model);
    } catch (error) {
      await Promise.all(threads.map((thread) => thread.terminate()));
      throw error;
    }
    const started = await Promise.allSettled(threads.map((thread, index) => startWorker(thread, exits[index])));
    const failure = started.find((result) => result.status === 'rejected');
    const workers = started.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<{ pooled: PooledWorker; ready: WorkerReady }>).value);
    if (failure) {
      await Promise.all(workers.map(({ pooled }) => pooled.worker.terminate()));
      throw (failure as PromiseRejectedResult).reason;
    }
    const ready = workers[0].ready as Extract<WorkerReady, { type: 'ready' }>;
    return new WorkerPool(workers.map(({ pooled }) => pooled), ready.signature, ready.runtimeInfo);
  }

  run(inputs: Tensor[], outputs?: string[]): Promise<{ outputs: Tensor[]; computeNs: number }> {
    if (this.released) return Promise.reject(new Error('model was unloaded'));
    const target = this.workers.reduce((least, candidate) => (candidate.inFlight.size < least.inFlight.size ? candidate : least));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.inFlight.set(id, { resolve, reject });
      target.worker.postMessage({ id, inputs, outputs });
    });
  }

  get size(): number {
    return this.workers.length;
  }

  get busy(): number {
    return this.workers.reduce((sum, worker) => sum + worker.inFlight.size, 0);
  }

  /** Waits for runs in flight, then ends the threads, which frees the sessions' native memory. */
  async release(): Promise<void> {
    this.released = true;
    while (this.busy > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

async function streamModel(threads: Worker[], model: ModelBytes): Promise<void> {
  const post = (message: LoadMessage, transfer: ArrayBuffer[] = []) => threads.forEach((thread, index) => thread.postMessage(message, index === threads.length - 1 ? transfer : []));
  post({ type: 'begin', sizeBytes: model.sizeBytes });
  for await (const bytes of model.chunks) {
    const ownsBuffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    post({ type: 'piece', bytes }, ownsBuffer ? [bytes.buffer as ArrayBuffer] : []);
  }
}

/** Ends the model's stream and waits for the worker's session (or its failure). */
function startWorker(worker: Worker, exited: Promise<number>): Promise<{ pooled: PooledWorker; ready: WorkerReady }> {
  const pooled: PooledWorker = { worker, inFlight: new Map() };
  worker.on('message', (reply: RunReply | WorkerReady) => {
    if (!('id' in reply)) return;
    const pending = pooled.inFlight.get(reply.id);
    pooled.inFlight.delete(reply.id);
    if (reply.ok) pending?.resolve({ outputs: reply.outputs, computeNs: reply.computeNs });
    else pending?.reject(new Error(reply.message));
  });
  worker.on('error', (error) => {
    for (const pending of pooled.inFlight.values()) pending.reject(error);
    pooled.inFlight.clear();
  });
  worker.postMessage({ type: 'end' } satisfies LoadMessage);
  return new Promise((resolve, reject) => {
    worker.once('message', (ready: WorkerReady) => {
      if (ready.type === 'ready') resolve({ pooled, ready });
      else {
        // Settled before the thread ends: its exit must not replace the reason it gave.
        reject(new InvalidModelError(ready.message));
        void worker.terminate();
      }
    });
    worker.once('error', reject);
    void exited.then((code) => reject(new Error(`the model worker exited (code ${code}) while loading the model`)));
  });
}
