import { seededRandom } from '../../libs/jobs/src/training/example-split';

/** The benchmark's MLP task: 64 features, 10 classes (the class decides the features' means). */
export const BENCH_FEATURES = 64;
export const BENCH_CLASSES = 10;

export function benchExamples(rows: number, seed = 23): { features: Float32Array; labels: Int32Array } {
  const random = seededRandom(seed);
  const features = new Float32Array(rows * BENCH_FEATURES);
  const labels = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    labels[row] = row % BENCH_CLASSES;
    for (let column = 0; column < BENCH_FEATURES; column++) features[row * BENCH_FEATURES + column] = (column % BENCH_CLASSES === labels[row] ? 1 : 0) + random() - 0.5;
  }
  return { features, labels };
}

export function benchCsv(rows: number): string {
  const { features, labels } = benchExamples(rows);
  const lines = [[...Array.from({ length: BENCH_FEATURES }, (_, column) => `f${column}`), 'label'].join(',')];
  for (let row = 0; row < rows; row++) lines.push([...features.subarray(row * BENCH_FEATURES, (row + 1) * BENCH_FEATURES)].map((value) => value.toFixed(5)).concat(String(labels[row])).join(','));
  return `${lines.join('\n')}\n`;
}
