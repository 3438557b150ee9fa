import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The kernel's id of the calling thread (Linux: `/proc/thread-self` reads "<pid>/task/<tid>"). */
export function callingThreadId(): number {
  return Number(readlinkSync('/proc/thread-self').split('/').pop());
}

/**
 * Lowers the CPU priority of the calling thread (and of the threads it starts later, such as ONNX
 * Runtime's intra-op pool, which inherit it) to `nice`. Only on Linux, where each thread has a nice
 * value of its own that setPriority takes by thread id: elsewhere `setPriority` would change the
 * whole process, so nothing is changed.
 */
export function lowerCallingThreadPriority(nice: number): void {
  if (nice === 0 || process.platform !== 'linux') return;
  try {
    setPriority(callingThreadId(), nice);
  } catch {
    // no /proc (a sandbox): the thread keeps the process's priority
  }
}
