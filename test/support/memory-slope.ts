/** Least-squares slope of resident memory over time, in MiB per minute. */
export function rssSlopeMiBPerMinute(samples: Array<{ minute: number; mib: number }>): number {
  const count = samples.length;
  if (count < 2) return 0;
  const meanX = samples.reduce((sum, sample) => sum + sample.minute, 0) / count;
  const meanY = samples.reduce((sum, sample) => sum + sample.mib, 0) / count;
  let covariance = 0;
  let variance = 0;
  for (const { minute, mib } of samples) {
    covariance += (minute - meanX) * (mib - meanY);
    variance += (minute - meanX) ** 2;
  }
  return covariance / variance;
}

/**
 * The lowest sample in each window of `windowMinutes`, placed at the window's middle. Windows with
 * fewer than half the samples of the fullest (the ragged first and last) are left out: one sample
 * is not a trough.
 */
export function lowestPerWindow(samples: Array<{ minute: number; mib: number }>, windowMinutes: number): Array<{ minute: number; mib: number }> {
  const windows = new Map<number, { lowest: number; count: number }>();
  for (const { minute, mib } of samples) {
    const window = Math.floor(minute / windowMinutes);
    const entry = windows.get(window) ?? { lowest: Infinity, count: 0 };
    windows.set(window, { lowest: Math.min(entry.lowest, mib), count: entry.count + 1 });
  }
  const fullest = Math.max(...[...windows.values()].map((entry) => entry.count));
  return [...windows].filter(([, entry]) => entry.count * 2 >= fullest).map(([window, entry]) => ({ minute: (window + 0.5) * windowMinutes, mib: entry.lowest }));
}
