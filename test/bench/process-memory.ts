import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resident memory of another process from /proc: current and peak (VmHWM). Writing 5 to
 * clear_refs resets the peak, so a phase's peak can be measured on its own (Linux only).
 */
export function residentMegabytes(pid: number): { current: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { current: field('VmRSS'), peak: field('VmHWM') };
}

export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
