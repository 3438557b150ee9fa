import { once } from 'node:events';
import { isModelFormat } from '../model-format';
import type { InspectionTask } from './inspect-in-child-process';
import { inspectModel, loadRuntimes } from './inspect-model';

/**
 * Child-process entry: told the format over IPC, reads a model from stdin, loads it, sends the
 * inspection (or the error) to the parent. A model that crashes the native runtime takes only this
 * process down, and the registry's memory stays bounded while a large model is loaded. The runtimes
 * load before the task arrives: a warm spare (WarmChildProcesses) has them ready.
 */
async function main(): Promise<void> {
  const [[task]] = (await Promise.all([once(process, 'message'), loadRuntimes()])) as [[InspectionTask], unknown];
  if (!isModelFormat(task.format)) throw new Error(`unknown model format ${task.format}`);
  const inspection = await inspectModel(task.format, await readStdin(task.sizeHint || 0), task.device);
  process.send!({ ok: true, inspection });
}

/**
 * All of stdin in one buffer: allocated once when the size is known (the upload's Content-Length),
 * else grown by doubling (concatenating thousands of 64 KiB pieces at the end cost a second for 256 MiB).
 */
async function readStdin(sizeHint: number): Promise<Buffer> {
  let buffer = Buffer.allocUnsafe(Math.max(sizeHint, 1 << 20));
  let length = 0;
  for await (const part of process.stdin) {
    const piece = part as Buffer;
    if (length + piece.byteLength > buffer.byteLength) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.byteLength * 2, length + piece.byteLength));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    piece.copy(buffer, length);
    length += piece.byteLength;
  }
  return buffer.subarray(0, length);
}

main().then(
  () => process.disconnect(),
  (error: Error & { code?: string }) => {
    process.send!({ ok: false, message: error.message, invalidModel: error.code === 'INVALID_MODEL' });
    process.disconnect();
  },
);
