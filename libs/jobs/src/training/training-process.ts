import type { ChildProcess } from 'node:child_process';
import { compiledEntry, WarmChildProcesses } from '@maas/runtime';
import type { ChildMessage, StartTraining } from './training-protocol';

export interface TrainingListener {
  onMessage(message: ChildMessage): Promise<void>;
}

export type TrainingExit = Extract<ChildMessage, { type: 'finished' } | { type: 'failed' }>;

/** Training child processes, one kept warm by `prepare()` (TF.js and its backends loaded) for the next job. */
export function trainingProcesses(): WarmChildProcesses {
  return new WarmChildProcesses(() => compiledEntry(__dirname, 'training-child.process.js'), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
}

/**
 * A training child process seen from the trainer: start it, hear its reports in order (each is
 * handled — persisted — before the next), ask it to stop. It settles with the child's final
 * report; a child that dies without one (killed, out of memory) rejects, so the queue retries.
 */
export class TrainingProcess {
  private readonly child: ChildProcess;
  private handling: Promise<void> = Promise.resolve();

  private constructor(processes: WarmChildProcesses) {
    this.child = processes.take();
  }

  /** `processes`: where the child comes from (a warm one when prepared). */
  static run(start: StartTraining, listener: TrainingListener, processes = trainingProcesses()): { process: TrainingProcess; result: Promise<TrainingExit> } {
    const training = new TrainingProcess(processes);
    return { process: training, result: training.follow(start, listener) };
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ type: 'stop', reason: 'cancelled' });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private follow(start: StartTraining, listener: TrainingListener): Promise<TrainingExit> {
    return new Promise((resolve, reject) => {
      let exit: TrainingExit | undefined;
      let stderr = '';
      this.child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
      this.child.on('message', (message: ChildMessage) => {
        if (message.type === 'finished' || message.type === 'failed') exit = message;
        this.handling = this.handling.then(() => listener.onMessage(message));
      });
      this.child.on('error', reject);
      this.child.on('exit', (code, signal) => {
        void this.handling.then(
          () => (exit ? resolve(exit) : reject(new Error(`the training process ended without a result (${signal ? `signal ${signal}` : `exit code ${code}`})${lastLine(stderr)}`))),
          reject,
        );
      });
      this.child.send(start);
    });
  }
}

/** The child's own last words: its error line, not Node's version banner or tfjs's advertisement. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((candidate) => candidate.trim() && !/^=+$|TensorFlow\.js in Node\.js|tfjs-node|^Node\.js v|^\s+at /.test(candidate));
  const line = lines.filter((candidate) => /Error/.test(candidate)).pop() ?? lines.pop();
  return line ? `: ${line.slice(0, 300)}` : '';
}
