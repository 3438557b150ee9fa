import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '@maas/errors';
import type { ModelFormat } from '../model-format';
import { compressOnnx, type CompressionMethod } from './onnx-compression';
import { compressTfjs } from './tfjs-compression';

/** One compression in a worker thread of its own: the rewrite is seconds of CPU for a large model. */
interface CompressionTask {
  format: ModelFormat;
  method: CompressionMethod;
  bytes: Uint8Array;
}

const { format, method, bytes } = workerData as CompressionTask;
try {
  const compressed = format === 'onnx' ? compressOnnx(bytes, method) : compressTfjs(bytes, method);
  parentPort!.postMessage({ compressed }, [compressed.bytes.buffer as ArrayBuffer]);
} catch (error) {
  const refused = error instanceof DomainError;
  parentPort!.postMessage({ failed: { message: (error as Error).message, refused } });
}
