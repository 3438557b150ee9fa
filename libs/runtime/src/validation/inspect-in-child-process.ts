import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { compiledEntry } from '../compiled-entry';
import { WarmChildProcesses } from '../warm-child-processes';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';
import { InvalidModelError } from '../runtime-errors';
import type { ModelInspection } from './inspect-model';

const INSPECTION_TIMEOUT_MS = 120_000;

type InspectorMessage = { ok: true; inspection: ModelInspection } | { ok: false; message: string; invalidModel: boolean };

/** What the inspector child is told first (it may have been forked before the upload began). */
export interface InspectionTask {
  format: ModelFormat;
  device: Device;
  sizeHint: number;
}

/** Inspector processes, one kept warm by `prepare()` (runtimes loaded) for the next upload. */
export function inspectorProcesses(): WarmChildProcesses {
  return new WarmChildProcesses(() => compiledEntry(__dirname, 'model-inspector.process.js'), { stdio: ['pipe', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
}

/**
 * Validates a model in a child process while its bytes stream in (they reach it over a pipe,
 * never a file). Writing waits for the pipe to drain, so a slow runtime slows the upload instead
 * of buffering it. `abort` kills the child when the upload fails for another reason.
 */
export class ChildProcessInspection {
  private readonly child: ChildProcess;
  private readonly result: Promise<ModelInspection>;
  private readonly exited: Promise<unknown>;
  /** Writes are chained: chunks reach the pipe in order even when the caller does not wait. */
  private writing: Promise<void> = Promise.resolve();

  /** `sizeHint`: the model's size when known, so the child allocates its buffer once. `processes`: where the child comes from (a warm one when prepared). */
  constructor(format: ModelFormat, device: Device, sizeHint = 0, processes = inspectorProcesses()) {
    this.child = processes.take();
    this.exited = once(this.child, 'exit');
    this.result = this.awaitResult();
    this.result.catch(() => undefined);
    this.child.stdin!.on('error', () => undefined);
    this.child.send({ format, device, sizeHint } satisfies InspectionTask);
  }

  write(bytes: Uint8Array): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.child.stdin!.write(bytes)) await Promise.race([once(this.child.stdin!, 'drain'), this.exited]);
    });
    return this.writing;
  }

  /** Ends the input and waits for the verdict: the signature, or an InvalidModelError. */
  finish(): Promise<ModelInspection> {
    this.child.stdin!.end();
    return this.result;
  }

  abort(): void {
    this.child.kill('SIGKILL');
  }

  private awaitResult(): Promise<ModelInspection> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), INSPECTION_TIMEOUT_MS);
      let message: InspectorMessage | undefined;
      this.child.on('message', (received: InspectorMessage) => (message = received));
      this.child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (message?.ok) return resolve(message.inspection);
        if (message && message.invalidModel) return reject(new InvalidModelError(message.message));
        if (message) return reject(new Error(`model inspection failed: ${message.message}`));
        reject(new InvalidModelError(`the runtime crashed while loading the model (${signal ?? `exit code ${code}`})`));
      });
    });
  }
}
