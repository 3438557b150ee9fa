import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { decodeTfjsBundle, encodeTfjsBundle, inspectModel, tfjsBackend, type TfjsBackendName } from '@maas/runtime';
import { readDataset } from '../datasets/dataset-reader';
import type { DatasetFormat } from '../datasets/dataset-schema';
import { decodeExamples, type ParsedExamples } from '../datasets/example-encoding';
import { permutation, seededRandom, splitRows } from './example-split';
import { featureScaling } from './feature-scaling';
import { buildModel, optimizerFor } from './model-builder';
import { exportDenseToOnnx } from './onnx-export';
import type { ChildMessage, DatasetBytes, EpochMetrics, OnnxExport, StartTraining } from './training-protocol';

/** Progress within an epoch is reported at most this often. */
const PROGRESS_EVERY_MS = 500;

interface Tensors {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * One training run, in the training child process: read the datasets, split, scale, build (or
 * resume, or fine-tune) the model, and fit epoch by epoch — a checkpoint after each, progress
 * within, stopping between batches when asked to or when out of time. The shuffles come from the
 * seed, so a seeded run repeats itself on the same backend.
 */
export async function runTraining(start: StartTraining, report: (message: ChildMessage) => void, stopRequested: () => boolean): Promise<void> {
  const { plan } = start;
  const backend = await chooseBackend(start);
  const tensorsBefore = tf.memory().numTensors;
  const random = seededRandom(plan.request.seed ?? Math.floor(Math.random() * 2 ** 31));
  const data = await examplesOf(start.dataset, plan.datasetFormat, plan.labelColumn);
  const validationData = start.validationDataset ? await examplesOf(start.validationDataset, plan.validationDatasetFormat ?? plan.datasetFormat, plan.labelColumn) : undefined;
  const rows = validationData ? { train: data.labels.map((_, index) => index), validation: [] } : splitRows(data.labels.length, plan.validationSplit, random);
  report({ type: 'started', backend, note: backendNote(backend, start), examples: rows.train.length, validationExamples: validationData ? validationData.labels.length : rows.validation.length });

  const scaling = plan.request.preprocessing && !start.checkpoint && !start.base ? featureScaling(data.features, plan.inputShape, rows.train, plan.request.preprocessing.normalize, plan.request.preprocessing.scale) : undefined;
  const model = await initialModel(start, scaling);
  model.compile({ optimizer: optimizerFor(plan.request.optimizer, plan.request.learningRate), loss: plan.loss, metrics: plan.classes ? ['accuracy'] : ['mae'] });
  const train = examplesToTensors(data, rows.train, plan);
  const validation = validationData ? examplesToTensors(validationData, validationData.labels.map((_, index) => index), plan) : rows.validation.length > 0 ? examplesToTensors(data, rows.validation, plan) : undefined;
  try {
    const outcome = await fitEpochs(model, train, validation, start, random, report, stopRequested);
    const produced = outcome.outcome === 'succeeded' || outcome.outcome === 'early_stopped';
    const bundle = produced ? await saveBundle(model, false) : undefined;
    // The saved bundle loaded again, as an upload's inspector would: its signature goes with it.
    const inspection = bundle ? await inspectModel('tfjs', bundle, 'cpu') : undefined;
    const onnx = produced && plan.request.export?.includes('onnx') ? await exportAndCompare(model, validation ?? train) : undefined;
    disposeModel(model);
    disposeAll(train, validation);
    report({ ...outcome, type: 'finished', bundle, inspection, onnx, tensorsLeaked: tf.memory().numTensors - tensorsBefore });
  } catch (error) {
    disposeModel(model);
    disposeAll(train, validation);
    throw error;
  }
}

function examplesOf(dataset: DatasetBytes, format: DatasetFormat, labelColumn: string): Promise<ParsedExamples> | ParsedExamples {
  return dataset.parsed ? decodeExamples(dataset.bytes) : readDataset([dataset.bytes], { format, labelColumn, collect: true });
}

async function fitEpochs(model: tfl.LayersModel, train: Tensors, validation: Tensors | undefined, start: StartTraining, random: () => number, report: (message: ChildMessage) => void, stopRequested: () => boolean) {
  const { request } = start.plan;
  const history: EpochMetrics[] = [...(start.checkpoint?.history ?? [])];
  const deadline = request.maxRuntimeSeconds ? Date.now() + (request.maxRuntimeSeconds - start.elapsedSeconds) * 1000 : Infinity;
  const examples = train.x.shape[0];
  // Shuffles already drawn by earlier epochs are drawn again, so a resumed seeded run continues identically.
  for (let epoch = 0; epoch < (start.checkpoint?.epochsDone ?? 0); epoch++) permutation(examples, random);
  let stoppedBy: 'cancelled' | 'timed_out' | undefined;
  for (let epoch = start.checkpoint?.epochsDone ?? 0; epoch < request.epochs; epoch++) {
    const order = tf.tensor1d(permutation(examples, random), 'int32');
    const x = tf.gather(train.x, order);
    const y = tf.gather(train.y, order);
    order.dispose();
    const batches = Math.ceil(examples / request.batchSize);
    let lastReport = 0;
    const result = await model.fit(x, y, {
      batchSize: request.batchSize,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      validationData: validation ? [validation.x, validation.y] : undefined,
      // onYield, not onBatchEnd: TF.js resolves the loss on the CPU before every onBatchEnd (a sync
      // per batch, 20% of a bare fit's speed here), but only every ~125 ms before onYield.
      callbacks: {
        onYield: (_epoch, batch, logs) => {
          if (stopRequested()) stoppedBy = 'cancelled';
          else if (Date.now() > deadline) stoppedBy = 'timed_out';
          if (stoppedBy) model.stopTraining = true;
          if (Date.now() - lastReport < PROGRESS_EVERY_MS) return;
          lastReport = Date.now();
          report({ type: 'progress', epoch: epoch + 1, batch: batch + 1, batches, fraction: (epoch + (batch + 1) / batches) / request.epochs, loss: Number(logs?.loss ?? NaN) });
        },
      },
    });
    x.dispose();
    y.dispose();
    // onYield fires at most every ~125 ms: an epoch shorter than that is checked here.
    stoppedBy ??= stopRequested() ? 'cancelled' : Date.now() > deadline ? 'timed_out' : undefined;
    if (stoppedBy) return { outcome: stoppedBy, history, message: stoppedBy === 'cancelled' ? 'cancelled between batches' : `stopped after ${request.maxRuntimeSeconds} s (maxRuntimeSeconds)` };
    const metrics = epochMetrics(epoch + 1, result.history);
    history.push(metrics);
    report({ type: 'epoch', metrics, checkpoint: await saveBundle(model, true), fraction: (epoch + 1) / request.epochs });
    if (shouldStopEarly(history, request.earlyStopping)) return { outcome: 'early_stopped' as const, history, message: `stopped early after epoch ${epoch + 1}: ${request.earlyStopping!.metric} did not improve by ${request.earlyStopping!.minDelta} for ${request.earlyStopping!.patience} epochs` };
  }
  return { outcome: 'succeeded' as const, history, message: `trained ${request.epochs} epochs` };
}

function shouldStopEarly(history: EpochMetrics[], rule: StartTraining['plan']['request']['earlyStopping']): boolean {
  if (!rule) return false;
  const values = history.map((metrics) => (rule.metric === 'val_loss' ? (metrics.val_loss ?? metrics.loss) : metrics.loss));
  if (values.length <= rule.patience) return false;
  const best = Math.min(...values.slice(0, values.length - rule.patience));
  return values.slice(-rule.patience).every((value) => value > best - rule.minDelta);
}

function epochMetrics(epoch: number, logs: Record<string, Array<number | tf.Tensor>>): EpochMetrics {
  const last = (name: string) => {
    const value = logs[name]?.[logs[name].length - 1];
    return value === undefined ? undefined : Number(value);
  };
  const metrics: EpochMetrics = { epoch, loss: last('loss')! };
  for (const [key, name] of [['accuracy', 'acc'], ['mae', 'mae'], ['val_loss', 'val_loss'], ['val_accuracy', 'val_acc'], ['val_mae', 'val_mae']] as const) {
    const value = last(name) ?? last(key);
    if (value !== undefined) metrics[key] = value;
  }
  return metrics;
}

async function initialModel(start: StartTraining, scaling: ReturnType<typeof featureScaling>): Promise<tfl.LayersModel> {
  const source = start.checkpoint?.bundle ?? start.base;
  if (!source) return buildModel(start.layers, start.plan.inputShape, scaling, start.plan.request.seed);
  const parts = decodeTfjsBundle(source);
  const weightData = parts.weightData.buffer.slice(parts.weightData.byteOffset, parts.weightData.byteOffset + parts.weightData.byteLength) as ArrayBuffer;
  // A checkpoint carries the optimizer state too (TF.js restores it from trainingConfig + weights).
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: parts.modelTopology, weightSpecs: parts.weightSpecs as tf.io.WeightsManifestEntry[], weightData, trainingConfig: parts.trainingConfig as tf.io.TrainingConfig }));
}

/** The model as a TF.js bundle; with the optimizer's state for a checkpoint. */
async function saveBundle(model: tfl.LayersModel, includeOptimizer: boolean): Promise<Uint8Array> {
  let bundle: Uint8Array | undefined;
  // Saving the optimizer makes tensors of its state (Adam's iteration count…) that TF.js never frees:
  // a scope around the save frees them (nothing else runs meanwhile: epochs are sequential).
  tf.engine().startScope();
  try {
    await save(model, includeOptimizer, (encoded) => (bundle = encoded));
  } finally {
    tf.engine().endScope();
  }
  return bundle!;
}

async function save(model: tfl.LayersModel, includeOptimizer: boolean, keep: (bundle: Uint8Array) => void): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]));
      keep(encodeTfjsBundle({ modelTopology: artifacts.modelTopology as object, weightSpecs: artifacts.weightSpecs as never, weightData, format: 'layers-model', generatedBy: 'maas-trainer', trainingConfig: includeOptimizer ? (artifacts.trainingConfig as object) : undefined }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
}

function examplesToTensors(data: ParsedExamples, rows: number[], plan: StartTraining['plan']): Tensors {
  const size = plan.inputShape.reduce((product, dimension) => product * dimension, 1);
  const features = new Float32Array(rows.length * size);
  rows.forEach((row, index) => features.set(data.features.subarray(row * size, (row + 1) * size), index * size));
  const x = tf.tensor(features, [rows.length, ...plan.inputShape]);
  if (!plan.classes) return { x, y: tf.tensor2d(rows.map((row) => Number(data.labels[row])), [rows.length, 1]) };
  const classIndex = new Map(plan.classes.map((name, index) => [name, index]));
  const indices = tf.tensor1d(rows.map((row) => classIndex.get(String(data.labels[row])) ?? -1), 'int32');
  const y = tf.tidy(() => tf.cast(tf.oneHot(indices, plan.classes!.length), 'float32'));
  indices.dispose();
  return { x, y };
}

/** The ONNX export, run by onnxruntime on up to 256 examples beside TF.js's own predictions. */
async function exportAndCompare(model: tfl.LayersModel, examples: Tensors): Promise<OnnxExport> {
  const bytes = exportDenseToOnnx(model);
  const count = Math.min(256, examples.x.shape[0]);
  const x = tf.slice(examples.x, 0, count);
  const expected = tf.tidy(() => model.predict(x) as tf.Tensor);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes);
  try {
    const { output } = await session.run({ input: new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape) });
    const reference = expected.dataSync();
    const actual = output.data as Float32Array;
    let maxAbsDifference = 0;
    for (let index = 0; index < reference.length; index++) maxAbsDifference = Math.max(maxAbsDifference, Math.abs(reference[index] - actual[index]));
    return { bytes, inspection: await inspectModel('onnx', bytes, 'cpu'), maxAbsDifference, comparedExamples: count };
  } finally {
    await session.release();
    tf.dispose([x, expected]);
  }
}

/** The model's weights and its optimizer's state (Adam's moments…), which `model.dispose()` leaves. */
function disposeModel(model: tfl.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

function disposeAll(...sets: Array<Tensors | undefined>): void {
  for (const set of sets) if (set) tf.dispose([set.x, set.y]);
}

/** Conv layers need gradients the wasm backend lacks (Conv2DBackpropFilter): they train on cpu then. */
function chooseBackend(start: StartTraining): Promise<TfjsBackendName> {
  return tfjsBackend({ exclude: needsConvGradients(start) ? ['wasm'] : [] });
}

function needsConvGradients(start: StartTraining): boolean {
  return start.layers.some((layer) => layer.type === 'conv2d' || layer.type === 'maxPooling2d');
}

function backendNote(backend: TfjsBackendName, start: StartTraining): string | undefined {
  if (needsConvGradients(start) && backend === 'cpu') return 'conv layers train on the cpu backend here: the wasm backend lacks their gradients and no native TensorFlow backend is installed';
  return undefined;
}
