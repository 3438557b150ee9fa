import type { Dataset, ModelVersion, TrainingJob } from '@maas/db';
import { isClassifier, type Pipeline } from '@maas/pipeline';
import type { ModelSignature, TensorSpec } from '@maas/tensor';
import type { DatasetFormat, DatasetSchema } from '../datasets/dataset-schema';
import { specOf } from '../jobs/job-views';
import { InvalidEvaluationError } from './evaluation-errors';
import type { EvaluationRequest } from './evaluation-request';

/** What the worker evaluates: the request resolved against the version and the dataset. */
export interface EvaluationPlan {
  request: EvaluationRequest;
  model: string;
  versionNumber: number;
  datasetId: string;
  datasetName: string;
  datasetFormat: DatasetFormat;
  labelColumn: string;
  task: 'classification' | 'regression';
  input: TensorSpec;
  /** The training split to reproduce for `split: validation`. */
  heldOut?: { fraction: number; seed: number };
}

interface PlanInputs {
  request: EvaluationRequest;
  model: string;
  version: ModelVersion;
  dataset: Dataset;
  /** The job that trained the version, if one did. */
  trainedBy: TrainingJob | null;
}

/** Checks that the dataset can be fed to the version, collecting every problem (a 400 lists them all). */
export function planEvaluation({ request, model, version, dataset, trainedBy }: PlanInputs): EvaluationPlan {
  const problems: string[] = [];
  const schema = dataset.schema as unknown as DatasetSchema;
  const signature = version.signature as unknown as ModelSignature;
  const pipeline = version.pipeline as Pipeline | null;
  const labelColumn = request.labelColumn ?? schema.labelColumn;
  if (labelColumn !== schema.labelColumn) problems.push(`dataset "${dataset.name}" was checked with label column "${schema.labelColumn}", not "${labelColumn}": upload it again with ?labelColumn=${labelColumn}`);
  if (signature.inputs.length !== 1) problems.push(`an evaluation feeds the dataset's features to the model's one input; version ${version.number} has ${signature.inputs.length} inputs`);
  const input = signature.inputs[0];
  if (input) problems.push(...shapeProblems(input, schema, dataset.name));
  if (input && pipeline?.preprocess[input.name]?.some((step) => 'image' in step)) problems.push(`version ${version.number}'s pipeline decodes images for "${input.name}", and datasets hold numbers: evaluate a version that takes the pixels as numbers`);
  const task = request.task ?? taskOf(version, pipeline, signature);
  if (task === 'regression' && !schema.numericLabels) problems.push(`a regression needs numeric labels; dataset "${dataset.name}" has labels that are not numbers`);
  const heldOut = request.split === 'validation' ? heldOutRows(version, trainedBy, dataset, problems) : undefined;
  if (problems.length) throw new InvalidEvaluationError(problems);
  return { request, model, versionNumber: version.number, datasetId: dataset.id, datasetName: dataset.name, datasetFormat: schema.format, labelColumn, task, input: input!, heldOut };
}

function shapeProblems(input: TensorSpec, schema: DatasetSchema, datasetName: string): string[] {
  const example = input.shape.slice(1);
  const fits = example.length === schema.featureShape.length && example.every((size, axis) => size === -1 || size === schema.featureShape[axis]);
  return fits ? [] : [`dataset "${datasetName}" has examples of shape [${schema.featureShape.join(', ')}], the model's input "${input.name}" takes [${input.shape.join(', ')}] (the first axis is the batch)`];
}

function taskOf(version: ModelVersion, pipeline: Pipeline | null, signature: ModelSignature): 'classification' | 'regression' {
  const declared = (version.metadata as { task?: string }).task;
  if (declared === 'classification' || declared === 'regression') return declared;
  if (isClassifier(pipeline?.postprocess)) return 'classification';
  const output = signature.outputs.find((spec) => spec.name === pipeline?.postprocess?.output) ?? signature.outputs[0];
  const width = output?.shape[output.shape.length - 1] ?? 1;
  return output && output.shape.length > 1 && width !== 1 ? 'classification' : 'regression';
}

function heldOutRows(version: ModelVersion, trainedBy: TrainingJob | null, dataset: Dataset, problems: string[]): EvaluationPlan['heldOut'] {
  if (!trainedBy) return void problems.push(`split "validation" needs a version trained by the platform; version ${version.number} was not`);
  const { plan } = specOf(trainedBy);
  if (plan.datasetId !== dataset.id) return void problems.push(`version ${version.number} was trained on another dataset: split "validation" holds out rows of that one`);
  if (!plan.validationSplit) return void problems.push(`version ${version.number}'s training held out no rows of this dataset (it had a validation dataset)`);
  if (plan.request.seed === undefined) return void problems.push(`version ${version.number}'s training had no seed, so its split cannot be reproduced: use split "all"`);
  return { fraction: plan.validationSplit, seed: plan.request.seed };
}
