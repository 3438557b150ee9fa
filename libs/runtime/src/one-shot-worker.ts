import { Worker } from 'node:worker_threads';

/**
 * Runs a worker-thread script for one task and settles with the first message it posts: for CPU
 * work (a model rewrite, a dataset parse) that must not run on an event loop serving requests.
 */
export function oneShotWorker<Reply>(script: string, workerData: unknown, transferList: ArrayBuffer[] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData, transferList });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker ${script.split('/').pop()} exited (code ${code}) without a result`)));
  });
}
