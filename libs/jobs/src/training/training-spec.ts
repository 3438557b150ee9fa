import { z } from 'zod';
import type { DatasetFormat } from '../datasets/dataset-schema';

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'mish', 'gelu'] as const;
/** TF.js's initializer names (`glorotUniform` is Xavier's). */
const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform', 'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones', 'orthogonal'] as const;

const units = z.number().int().min(1).max(65_536);
const window = z.union([z.number().int().min(1).max(64), z.tuple([z.number().int().min(1).max(64), z.number().int().min(1).max(64)])]);
const activation = z.enum(ACTIVATIONS).optional();
const kernelInitializer = z.enum(INITIALIZERS).optional();

export const layerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dense'), units, activation, kernelInitializer, useBias: z.boolean().optional() }),
  z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
  z.strictObject({ type: z.literal('batchNormalization'), momentum: z.number().gt(0).lt(1).optional() }),
  z.strictObject({ type: z.literal('conv2d'), filters: units, kernelSize: window, strides: window.optional(), padding: z.enum(['valid', 'same']).optional(), activation, kernelInitializer }),
  z.strictObject({ type: z.literal('maxPooling2d'), poolSize: window, strides: window.optional(), padding: z.enum(['valid', 'same']).optional() }),
  z.strictObject({ type: z.literal('flatten') }),
  z.strictObject({ type: z.literal('lstm'), units, returnSequences: z.boolean().optional(), activation, kernelInitializer }),
  z.strictObject({ type: z.literal('gru'), units, returnSequences: z.boolean().optional(), activation, kernelInitializer }),
]);

export type LayerSpec = z.infer<typeof layerSchema>;

export const CLASSIFICATION_LOSSES = ['categoricalCrossentropy', 'categoricalHinge', 'kullbackLeiblerDivergence'] as const;
export const REGRESSION_LOSSES = ['meanSquaredError', 'meanAbsoluteError', 'logcosh', 'meanSquaredLogarithmicError', 'huberLoss'] as const;

/** `POST /v1/training-jobs`, as validated before anything is written or queued. */
export const trainingRequestSchema = z
  .strictObject({
    model: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'a model name: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit'),
    dataset: z.string().min(1),
    validationDataset: z.string().min(1).optional(),
    validationSplit: z.number().gt(0).max(0.5).optional(),
    labelColumn: z.string().min(1).optional(),
    task: z.enum(['classification', 'regression']),
    architecture: z.strictObject({ layers: z.array(layerSchema).min(1).max(64) }).optional(),
    baseVersion: z.number().int().positive().optional(),
    preprocessing: z.strictObject({ normalize: z.enum(['standard', 'minmax', 'none']).default('none'), scale: z.number().positive().optional() }).optional(),
    optimizer: z.enum(['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad']).default('adam'),
    learningRate: z.number().gt(0).max(10).default(0.001),
    epochs: z.number().int().min(1).max(1_000).default(10),
    batchSize: z.number().int().min(1).max(8_192).default(32),
    loss: z.enum([...CLASSIFICATION_LOSSES, ...REGRESSION_LOSSES]).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    earlyStopping: z.strictObject({ metric: z.enum(['loss', 'val_loss']).default('val_loss'), patience: z.number().int().min(1).max(1_000).default(3), minDelta: z.number().min(0).default(0) }).optional(),
    maxRuntimeSeconds: z.number().int().min(1).max(7 * 24 * 3600).optional(),
    export: z.array(z.enum(['onnx'])).max(1).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((spec) => !(spec.architecture && spec.baseVersion), { message: 'give either "architecture" (train a new network) or "baseVersion" (fine-tune one), not both' })
  .refine((spec) => spec.architecture || spec.baseVersion, { message: 'give "architecture.layers" (train a new network) or "baseVersion" (fine-tune an existing TF.js version)' })
  .refine((spec) => !(spec.validationDataset && spec.validationSplit), { message: 'give either "validationDataset" or "validationSplit", not both' });

export type TrainingRequest = z.infer<typeof trainingRequestSchema>;

/** What the worker trains from: the request resolved against the datasets (ids, shapes, classes). */
export interface TrainingPlan {
  request: TrainingRequest;
  datasetId: string;
  datasetFormat: DatasetFormat;
  validationDatasetId?: string;
  validationDatasetFormat?: DatasetFormat;
  labelColumn: string;
  inputShape: number[];
  /** Classification: the class names, in output order. */
  classes: string[] | null;
  outputSize: number;
  loss: string;
  validationSplit: number;
  /** Fine-tuning: the TF.js version's artifact. */
  baseArtifactId?: string;
}
