import { isModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';
import { inspectModel } from './inspect-model';

/**
 * Child-process entry: reads a model from stdin, loads it, sends the inspection (or the error) to
 * the parent over IPC. A model that crashes the native runtime takes only this process down, and
 * the registry's memory stays bounded while a large model is loaded.
 */
async function main(): Promise<void> {
  const [format, device] = process.argv.slice(2);
  if (!isModelFormat(format)) throw new Error(`unknown model format ${format}`);
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  const inspection = await inspectModel(format, Buffer.concat(parts), device as Device);
  process.send!({ ok: true, inspection });
}

main().then(
  () => process.disconnect(),
  (error: Error & { code?: string }) => {
    process.send!({ ok: false, message: error.message, invalidModel: error.code === 'INVALID_MODEL' });
    process.disconnect();
  },
);
