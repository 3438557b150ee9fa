import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux everywhere but exotic builds). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) of another process's threads from /proc: its main thread, and all the others. */
export function threadCpuMs(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const ms = cpuMsOf(`/proc/${pid}/task/${tid}/stat`);
    if (Number(tid) === pid) main += ms;
    else others += ms;
  }
  return { main, others };
}

/**
 * Milliseconds the process's main thread spent runnable but waiting for a CPU (the second field of
 * /proc's schedstat, in ns): time a busy thread loses to the other threads and processes on the cores.
 */
export function mainThreadRunQueueMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0; // a kernel without schedstats
  }
}

function cpuMsOf(statPath: string): number {
  try {
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0; // the thread ended between the listing and the read
  }
}

/**
 * CPU of one process over one or more load runs: per request (its main thread and the others apart)
 * and how busy its main thread was over their wall time — a server whose main thread is busy all
 * the time is bound by that thread, one that is not waits on something else.
 */
export class CpuMeter {
  private mainMs = 0;
  private othersMs = 0;
  private waitingMs = 0;
  private wallMs = 0;
  private requests = 0;

  constructor(private readonly pid: number) {}

  async measure<T extends { requests: number }>(run: () => Promise<T>): Promise<T> {
    const before = threadCpuMs(this.pid);
    const waitingBefore = mainThreadRunQueueMs(this.pid);
    const started = performance.now();
    const result = await run();
    const after = threadCpuMs(this.pid);
    this.waitingMs += mainThreadRunQueueMs(this.pid) - waitingBefore;
    this.wallMs += performance.now() - started;
    this.mainMs += after.main - before.main;
    this.othersMs += after.others - before.others;
    this.requests += result.requests;
    return result;
  }

  /** Main-thread and other-thread CPU µs per request of the runs measured. */
  perRequest(): { mainUs: number; othersUs: number } {
    return { mainUs: (this.mainMs * 1000) / this.requests, othersUs: (this.othersMs * 1000) / this.requests };
  }

  /** "main / others µs per request, main thread busy N %, waiting for a CPU M %". */
  describe(): string {
    const { mainUs, othersUs } = this.perRequest();
    return `${mainUs.toFixed(0)} / ${othersUs.toFixed(0)} µs, main thread busy ${((100 * this.mainMs) / this.wallMs).toFixed(0)} %, waiting for a CPU ${((100 * this.waitingMs) / this.wallMs).toFixed(0)} %`;
  }
}
