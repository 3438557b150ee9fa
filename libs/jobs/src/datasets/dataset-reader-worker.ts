import { parentPort, workerData } from 'node:worker_threads';
import { readDataset, type ReadOptions } from './dataset-reader';

/** Reads one dataset in a worker thread: parsing a large CSV is seconds of CPU. */
const { bytes, options } = workerData as { bytes: Uint8Array; options: ReadOptions };
readDataset([bytes], options).then(
  (examples) => parentPort!.postMessage({ examples }, [examples.features.buffer as ArrayBuffer]),
  (error: Error) => parentPort!.postMessage({ failed: { message: error.message, invalid: error.name === 'InvalidDatasetError' } }),
);
