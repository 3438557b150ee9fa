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
