import { performance } from 'node:perf_hooks';

/**
 * Median wall time of `operation` in milliseconds over `iterations` runs after `warmup` runs.
 * Benchmarks compare such medians measured side by side in one process, never absolute numbers.
 */
export function medianMs(operation: () => unknown, iterations = 30, warmup = 5): number {
  for (let i = 0; i < warmup; i++) operation();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    operation();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export function megabytesPerSecond(bytes: number, milliseconds: number): number {
  return bytes / 1e6 / (milliseconds / 1000);
}

export interface BenchmarkReport {
  title: string;
  rows: Array<Record<string, string | number>>;
  goals: Array<{ name: string; value: number; target: string; met: boolean }>;
}

export function printReport(report: BenchmarkReport): void {
  process.stdout.write(`\n## ${report.title}\n\n`);
  console.table(report.rows);
  for (const goal of report.goals) {
    process.stdout.write(`${goal.met ? 'MET ' : 'MISS'}  ${goal.name}: ${goal.value.toFixed(2)} (goal ${goal.target})\n`);
  }
}
