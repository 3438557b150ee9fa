import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread (and of the threads it starts later, such as ONNX
 * Runtime's intra-op pool, which inherit it) to `nice`. Only on Linux, where each thread has a nice
 * value of its own: elsewhere `setPriority` would change the whole process, so nothing is changed.
 * Returns whether the priority was set.
 */
export function lowerCallingThreadPriority(nice: number): boolean {
  if (nice === 0 || process.platform !== 'linux') return false;
  try {
    // "<pid>/task/<tid>": the kernel's id of this very thread, which setPriority accepts as a pid.
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, nice);
    return true;
  } catch {
    return false; // no /proc (a sandbox): the thread keeps the process's priority
  }
}
