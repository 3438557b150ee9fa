import { Worker } from 'node:worker_threads';
import { compiledEntry } from '@maas/runtime';
import { InvalidDatasetError } from './dataset-errors';
import type { ReadOptions } from './dataset-reader';
import type { DatasetExamples } from './dataset-schema';

type Reply = { examples: DatasetExamples } | { failed: { message: string; invalid: boolean } };

/**
 * `readDataset` in a worker thread, for callers on an event loop that serves requests (an evaluation
 * in the platform's own process): the examples come back without a copy of their features.
 */
export function readDatasetOffThread(bytes: Uint8Array, options: ReadOptions): Promise<DatasetExamples> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledEntry(__dirname, 'dataset-reader-worker.js'), { workerData: { bytes, options } });
    worker.once('message', (reply: Reply) => {
      if ('examples' in reply) resolve(reply.examples);
      else reject(reply.failed.invalid ? new InvalidDatasetError(reply.failed.message) : new Error(reply.failed.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the dataset reader exited (code ${code}) without a result`)));
  });
}
