import { type Pipeline, preprocessNumbers, scoresOf } from '@maas/pipeline';
import { type Device, ModelHosts, type ModelFormat } from '@maas/runtime';
import { numericValues, softmax, type Tensor } from '@maas/tensor';
import { readDatasetOffThread } from '../datasets/read-dataset-off-thread';
import { seededRandom, splitRows } from '../training/example-split';
import { ClassificationTally, type ClassificationMetrics } from './classification-metrics';
import { InvalidEvaluationError } from './evaluation-errors';
import type { EvaluationPlan } from './evaluation-plan';
import { RegressionTally, type RegressionMetrics } from './regression-metrics';

/** Examples per model run. */
const BATCH_ROWS = 256;

/** How far a row of scores may be from summing to 1 and still be read as probabilities. */
const PROBABILITY_TOLERANCE = 1e-3;

export interface EvaluationSource {
  plan: EvaluationPlan;
  pipeline: Pipeline | null;
  format: ModelFormat;
  model: { sizeBytes: number; chunks: AsyncIterable<Uint8Array> };
  dataset: Buffer;
  device: Device;
  threads: number;
  onProgress: (fraction: number) => Promise<void> | void;
}

export type EvaluationMetrics = (ClassificationMetrics | RegressionMetrics) & {
  split: 'all' | 'validation';
  /** Classification: whether the scores were the model's probabilities, or a softmax of its outputs had to be taken. */
  scores?: 'probabilities' | 'softmax of the outputs';
};

/**
 * Runs the version over the dataset's rows through its pipeline (pre-processing, the model on a
 * worker thread of its own, the postprocess's activation) and tallies the metrics of its task.
 */
export async function runEvaluation(source: EvaluationSource): Promise<EvaluationMetrics> {
  const { plan, pipeline } = source;
  const examples = await readDatasetOffThread(source.dataset, { format: plan.datasetFormat, labelColumn: plan.labelColumn, collect: true });
  const rows = plan.heldOut ? splitRows(examples.labels.length, plan.heldOut.fraction, seededRandom(plan.heldOut.seed)).validation : examples.labels.map((_, index) => index);
  const exampleSize = examples.schema.featureShape.reduce((product, size) => product * size, 1);
  const hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: Number.MAX_SAFE_INTEGER });
  let lost = false;
  const hosted = await hosts.load({ format: source.format, device: source.device, threads: source.threads }, source.model, 1, () => (lost = true));
  const tally = plan.task === 'classification' ? new ClassificationScoring(pipeline) : new RegressionScoring();
  try {
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const batch = rows.slice(start, start + BATCH_ROWS);
      const features = new Float32Array(batch.length * exampleSize);
      batch.forEach((row, index) => features.set(examples.features.subarray(row * exampleSize, (row + 1) * exampleSize), index * exampleSize));
      const input = preprocessNumbers(plan.input, features, [batch.length, ...examples.schema.featureShape], pipeline?.preprocess[plan.input.name] ?? []);
      const { outputs } = await hosted.run([input]);
      if (lost) throw new Error('the model worker died during the evaluation');
      tally.add(scoresOf(outputs, pipeline?.postprocess), batch.map((row) => examples.labels[row]));
      await source.onProgress(Math.min(1, (start + batch.length) / rows.length));
    }
  } finally {
    await hosted.release();
    await hosts.close();
  }
  return { ...tally.result(), split: plan.request.split };
}

interface Scoring {
  add(scores: Tensor, labels: Array<string | number>): void;
  result(): Omit<EvaluationMetrics, 'split'>;
}

class ClassificationScoring implements Scoring {
  private tally?: ClassificationTally;
  private probabilities?: boolean;

  constructor(private readonly pipeline: Pipeline | null) {}

  add(scores: Tensor, labels: Array<string | number>): void {
    const width = scores.shape[scores.shape.length - 1];
    const modelLabels = this.pipeline?.postprocess?.labels ?? Array.from({ length: width }, (_, index) => String(index));
    if (modelLabels.length !== width) throw new InvalidEvaluationError([`the pipeline names ${modelLabels.length} labels, the output has ${width} classes`]);
    this.tally ??= new ClassificationTally(modelLabels);
    // Decided once, on the first batch: the model's scores are probabilities, or logits to be softmaxed.
    this.probabilities ??= areProbabilities(numericValues(scores), width);
    const rows = numericValues(this.probabilities ? scores : softmax(scores));
    labels.forEach((label, row) => this.tally!.add(String(label), rows.subarray(row * width, (row + 1) * width)));
  }

  result() {
    return { ...this.tally!.result(), scores: this.probabilities ? ('probabilities' as const) : ('softmax of the outputs' as const) };
  }
}

class RegressionScoring implements Scoring {
  private readonly tally = new RegressionTally();

  add(scores: Tensor, labels: Array<string | number>): void {
    const values = numericValues(scores);
    if (values.length !== labels.length) throw new InvalidEvaluationError([`a regression needs one value per example; output "${scores.name}" has shape [${scores.shape.join(', ')}]`]);
    labels.forEach((label, row) => this.tally.add(Number(label), values[row]));
  }

  result() {
    return this.tally.result();
  }
}

function areProbabilities(values: Float64Array, width: number): boolean {
  for (let start = 0; start < values.length; start += width) {
    let sum = 0;
    for (let index = start; index < start + width; index++) {
      if (values[index] < 0 || values[index] > 1) return false;
      sum += values[index];
    }
    if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) return false;
  }
  return true;
}
