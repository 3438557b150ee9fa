import { ChildProcess, fork, type ForkOptions } from 'node:child_process';

/**
 * One child process of an entry script kept forked ahead of need, its heavy modules (TF.js,
 * onnxruntime) already imported, so the next task does not wait ~0.2 s for a fork and a runtime to
 * load. The entry must take its task over IPC, not argv. A spare holds nothing of the parent's
 * event loop (unreferenced until taken) and exits with the parent (its IPC channel closes).
 */
export class WarmChildProcesses {
  private spare: ChildProcess | undefined;
  private closed = false;

  /** `entry` is resolved at the first fork (a build may not exist yet when the owner is made). */
  constructor(
    private readonly entry: () => string,
    private readonly options: ForkOptions,
  ) {}

  /** The spare when one is alive, else a fresh fork; the caller owns it from here. */
  take(): ChildProcess {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && isAlive(spare)) {
      referenced(spare, true);
      return spare;
    }
    return fork(this.entry(), [], this.options);
  }

  /** Forks the next spare unless one waits: call it when the CPU is free (not beside a running task). */
  prepare(): void {
    if (this.closed || (this.spare && isAlive(this.spare))) return;
    const child = fork(this.entry(), [], this.options);
    // A spare that fails to start or dies is forgotten; `take` forks afresh then.
    child.on('error', () => undefined);
    child.once('exit', () => {
      if (this.spare === child) this.spare = undefined;
    });
    referenced(child, false);
    this.spare = child;
  }

  close(): void {
    this.closed = true;
    this.spare?.kill();
    this.spare = undefined;
  }
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

/** Whether the child (its process, IPC channel and pipes) keeps the parent's event loop alive. */
function referenced(child: ChildProcess, keepAlive: boolean): void {
  // Pipes are sockets (they have ref/unref), typed as plain streams.
  const handles = [child, child.channel, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null | undefined>;
  for (const handle of handles) (keepAlive ? handle?.ref : handle?.unref)?.call(handle);
}
