import { InvalidTensorError, isBytesData, numericValues, sigmoid, softmax, Tensor, topK } from '@maas/tensor';
import { isClassifier, Postprocess } from './pipeline-schema';

/** Classes shown per row when a classifier's postprocess names neither topk, argmax nor threshold (as Hugging Face's default). */
const DEFAULT_TOP_K = 5;

export interface LabelScore {
  label: string;
  index: number;
  score: number;
}

/** Per row of the post-processed output: ranked labels for a classifier, values for a regressor. */
export type Prediction = LabelScore[] | number | number[];

export interface Predictions {
  output: string;
  predictions: Prediction[];
  /** The scores after softmax/sigmoid (what a classifier ranked), when an activation was asked for. */
  scores?: Tensor;
}

/** The output a postprocess reads: the one it names, else the model's first. */
export function targetOutput(outputs: readonly Tensor[], postprocess: Postprocess | undefined): Tensor {
  const target = postprocess?.output ? outputs.find((output) => output.name === postprocess.output) : outputs[0];
  if (!target) throw new InvalidTensorError(`postprocess.output "${postprocess?.output}" is not an output of the model`);
  if (isBytesData(target.data)) throw new InvalidTensorError(`output "${target.name}" is BYTES; predictions need numbers`);
  return target;
}

/** The target output's scores: after the postprocess's softmax or sigmoid, if it has one. */
export function scoresOf(outputs: readonly Tensor[], postprocess: Postprocess | undefined): Tensor {
  const target = targetOutput(outputs, postprocess);
  return postprocess ? activated(target, postprocess) : target;
}

export function predictionsOf(outputs: readonly Tensor[], postprocess: Postprocess | undefined): Predictions {
  const target = targetOutput(outputs, postprocess);
  if (!isClassifier(postprocess)) return { output: target.name, predictions: regressionRows(target) };
  const scores = activated(target, postprocess!);
  return { output: target.name, predictions: classifiedRows(scores, postprocess!), ...(scores !== target ? { scores } : {}) };
}

function activated(target: Tensor, postprocess: Postprocess): Tensor {
  if (postprocess.softmax) return softmax(target);
  if (postprocess.sigmoid) return sigmoid(target);
  return target;
}

function classifiedRows(scores: Tensor, postprocess: Postprocess): LabelScore[][] {
  const width = scores.shape[scores.shape.length - 1];
  const labels = postprocess.labels;
  if (labels && labels.length !== width) throw new InvalidTensorError(`postprocess.labels has ${labels.length} labels, but output "${scores.name}" has ${width} classes`);
  const k = Math.min(width, postprocess.threshold !== undefined ? width : (postprocess.topk ?? (postprocess.argmax ? 1 : DEFAULT_TOP_K)));
  const { values, indices } = topK(scores, k);
  const rows: LabelScore[][] = [];
  for (let row = 0; row < values.data.length / k; row++) {
    const ranked: LabelScore[] = [];
    for (let j = 0; j < k; j++) {
      const index = Number((indices.data as BigInt64Array)[row * k + j]);
      const score = (values.data as Float32Array)[row * k + j];
      if (postprocess.threshold !== undefined && score < postprocess.threshold) break;
      ranked.push({ label: labels?.[index] ?? String(index), index, score });
    }
    rows.push(postprocess.threshold !== undefined && postprocess.topk ? ranked.slice(0, postprocess.topk) : ranked);
  }
  return rows;
}

function regressionRows(target: Tensor): Array<number | number[]> {
  const data = Array.from(numericValues(target));
  if (target.shape.length <= 1) return data;
  const width = data.length / target.shape[0];
  return Array.from({ length: target.shape[0] }, (_, row) => (width === 1 ? data[row] : data.slice(row * width, (row + 1) * width)));
}
