/** y = x · multiply + add, per feature of the last axis (a channel of an image, a feature of a sequence). */
export interface FeatureScaling {
  multiply: number[];
  add: number[];
}

/**
 * Scaling from the training split only (the validation split must not leak into it): standard
 * (zero mean, unit variance), min-max (to [0, 1]), and/or a constant `scale`. Constant features
 * keep a multiplier of 1, so they do not become infinities.
 */
export function featureScaling(features: Float32Array, exampleShape: number[], rows: number[], mode: 'standard' | 'minmax' | 'none', scale?: number): FeatureScaling | undefined {
  const width = exampleShape[exampleShape.length - 1];
  const exampleSize = exampleShape.reduce((product, dimension) => product * dimension, 1);
  if (mode === 'none' && scale === undefined) return undefined;
  const factor = scale ?? 1;
  if (mode === 'none') return { multiply: new Array<number>(width).fill(factor), add: new Array<number>(width).fill(0) };
  const stats = channelStatistics(features, exampleSize, width, rows);
  if (mode === 'standard') {
    return {
      multiply: stats.map(({ std }) => factor / (std > 1e-12 ? std : 1)),
      add: stats.map(({ mean, std }) => (-mean * factor) / (std > 1e-12 ? std : 1)),
    };
  }
  return {
    multiply: stats.map(({ min, max }) => factor / (max - min > 1e-12 ? max - min : 1)),
    add: stats.map(({ min, max }) => (-min * factor) / (max - min > 1e-12 ? max - min : 1)),
  };
}

interface ChannelStatistics {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Over the given examples (row indices), channel-last. */
function channelStatistics(features: Float32Array, exampleSize: number, width: number, rows: number[]): ChannelStatistics[] {
  const sums = new Float64Array(width);
  const squares = new Float64Array(width);
  const mins = new Float64Array(width).fill(Infinity);
  const maxs = new Float64Array(width).fill(-Infinity);
  let count = 0;
  for (const row of rows) {
    const start = row * exampleSize;
    for (let offset = 0; offset < exampleSize; offset++) {
      const channel = offset % width;
      const value = features[start + offset];
      sums[channel] += value;
      squares[channel] += value * value;
      if (value < mins[channel]) mins[channel] = value;
      if (value > maxs[channel]) maxs[channel] = value;
    }
    count += exampleSize / width;
  }
  return Array.from({ length: width }, (_, channel) => {
    const mean = sums[channel] / count;
    return { mean, std: Math.sqrt(Math.max(0, squares[channel] / count - mean * mean)), min: mins[channel], max: maxs[channel] };
  });
}
