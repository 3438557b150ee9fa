import type { DatasetSchema } from '../datasets/dataset-schema';
import { resolveArchitecture } from './architecture-shapes';
import { EXPORTABLE_ACTIVATIONS, EXPORTABLE_LAYERS } from './onnx-export';
import { InvalidTrainingRequestError } from './training-errors';
import { CLASSIFICATION_LOSSES, LayerSpec, REGRESSION_LOSSES, TrainingPlan, TrainingRequest } from './training-spec';

export interface PlanInputs {
  request: TrainingRequest;
  dataset: { id: string; name: string; schema: DatasetSchema };
  validationDataset?: { id: string; name: string; schema: DatasetSchema };
  /** Fine-tuning: the base version's signature (input shape without the batch dimension, output size). */
  base?: { artifactId: string; inputShape: number[]; outputSize: number };
}

const DEFAULT_VALIDATION_SPLIT = 0.2;

/**
 * Checks a training request against its datasets before anything is written or queued, and
 * resolves what the worker needs: shapes, classes, the output layer, the loss. Every problem is
 * collected, so the 400 lists them all.
 */
export function planTraining({ request, dataset, validationDataset, base }: PlanInputs): { plan: TrainingPlan; layers: LayerSpec[] } {
  const problems: string[] = [];
  const { schema } = dataset;
  const labelColumn = request.labelColumn ?? schema.labelColumn;
  if (labelColumn !== schema.labelColumn) problems.push(`dataset "${dataset.name}" was checked with label column "${schema.labelColumn}", not "${labelColumn}": upload it again with ?labelColumn=${labelColumn}`);
  if (request.task === 'classification' && (!schema.classes || schema.classes.length < 2)) problems.push(`classification needs 2 to 1000 distinct labels; dataset "${dataset.name}" has ${schema.classes ? schema.classes.length : 'more than 1000'}`);
  if (request.task === 'regression' && !schema.numericLabels) problems.push(`regression needs numeric labels; dataset "${dataset.name}" has labels that are not numbers`);
  if (validationDataset) checkValidationDataset(schema, validationDataset, problems);
  const classes = request.task === 'classification' ? schema.classes : null;
  const outputSize = classes ? classes.length : 1;
  const loss = request.loss ?? (request.task === 'classification' ? 'categoricalCrossentropy' : 'meanSquaredError');
  const allowed: readonly string[] = request.task === 'classification' ? CLASSIFICATION_LOSSES : REGRESSION_LOSSES;
  if (!allowed.includes(loss)) problems.push(`loss "${loss}" does not fit a ${request.task} task (use ${allowed.join(', ')})`);
  const rowsForTraining = validationDataset ? schema.rows : Math.floor(schema.rows * (1 - (request.validationSplit ?? DEFAULT_VALIDATION_SPLIT)));
  if (rowsForTraining < 1) problems.push(`dataset "${dataset.name}" has ${schema.rows} row(s): too few to hold out a validation split`);
  const layers = request.architecture ? resolveArchitecture(request.architecture.layers, schema.featureShape, outputSize, request.task, problems).layers : [];
  if (base) checkBase(base, schema.featureShape, outputSize, problems);
  if (request.export?.includes('onnx')) checkExportable(request, schema.featureShape, problems);
  if (problems.length > 0) throw new InvalidTrainingRequestError(problems);
  const plan: TrainingPlan = {
    request,
    datasetId: dataset.id,
    datasetFormat: schema.format,
    validationDatasetId: validationDataset?.id,
    validationDatasetFormat: validationDataset?.schema.format,
    labelColumn,
    inputShape: schema.featureShape,
    classes,
    outputSize,
    loss,
    validationSplit: validationDataset ? 0 : (request.validationSplit ?? DEFAULT_VALIDATION_SPLIT),
    baseArtifactId: base?.artifactId,
  };
  return { plan, layers };
}

function checkValidationDataset(schema: DatasetSchema, validation: NonNullable<PlanInputs['validationDataset']>, problems: string[]): void {
  if (validation.schema.featureShape.join('x') !== schema.featureShape.join('x')) problems.push(`validation dataset "${validation.name}" has examples of shape [${validation.schema.featureShape.join(', ')}], the training dataset [${schema.featureShape.join(', ')}]`);
  if (validation.schema.labelColumn !== schema.labelColumn) problems.push(`validation dataset "${validation.name}" has label column "${validation.schema.labelColumn}", the training dataset "${schema.labelColumn}"`);
  const unknown = (validation.schema.classes ?? []).filter((name) => schema.classes && !schema.classes.includes(name));
  if (unknown.length > 0) problems.push(`validation dataset "${validation.name}" has labels the training dataset lacks: ${unknown.slice(0, 5).join(', ')}`);
}

function checkExportable(request: TrainingRequest, featureShape: number[], problems: string[]): void {
  const layers = request.architecture?.layers ?? [];
  const others = layers.filter((layer) => !EXPORTABLE_LAYERS.has(layer.type)).map((layer) => layer.type);
  if (!request.architecture) problems.push('export ["onnx"] needs an architecture (a fine-tuned base model cannot be checked for exportability)');
  if (others.length > 0) problems.push(`export ["onnx"] takes dense and dropout layers only; this network has ${[...new Set(others)].join(', ')}`);
  const activations = layers.flatMap((layer) => ('activation' in layer && layer.activation ? [layer.activation] : [])).filter((activation) => !EXPORTABLE_ACTIVATIONS.has(activation));
  if (activations.length > 0) problems.push(`export ["onnx"] cannot carry activation(s) ${[...new Set(activations)].join(', ')}`);
  if (featureShape.length !== 1) problems.push(`export ["onnx"] needs flat features; the dataset's examples are [${featureShape.join(', ')}]`);
}

function checkBase(base: NonNullable<PlanInputs['base']>, featureShape: number[], outputSize: number, problems: string[]): void {
  if (base.inputShape.join('x') !== featureShape.join('x')) problems.push(`baseVersion takes examples of shape [${base.inputShape.join(', ')}], the dataset has [${featureShape.join(', ')}]`);
  if (base.outputSize !== outputSize) problems.push(`baseVersion has ${base.outputSize} outputs, the task needs ${outputSize}`);
}
