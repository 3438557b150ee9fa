import { compiledEntry, oneShotWorker } from '@maas/runtime';
import { InvalidDatasetError } from './dataset-errors';
import type { ReadOptions } from './dataset-reader';
import type { DatasetExamples } from './dataset-schema';

type Reply = { examples: DatasetExamples } | { failed: { message: string; invalid: boolean } };

/**
 * `readDataset` in a worker thread, for callers on an event loop that serves requests (an evaluation
 * in the platform's own process): the examples come back without a copy of their features.
 */
export async function readDatasetOffThread(bytes: Uint8Array, options: ReadOptions): Promise<DatasetExamples> {
  const reply = await oneShotWorker<Reply>(compiledEntry(__dirname, 'dataset-reader-worker.js'), { bytes, options });
  if ('examples' in reply) return reply.examples;
  throw reply.failed.invalid ? new InvalidDatasetError(reply.failed.message) : new Error(reply.failed.message);
}
