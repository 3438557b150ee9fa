import { z } from 'zod';
import { InvalidModelError } from '../runtime-errors';

/** What TensorFlow.js needs to load a layers model from memory (`tf.io.fromMemory`). */
export interface TfjsModelParts {
  modelTopology: object;
  weightSpecs: Array<{ name: string; shape: number[]; dtype: string }>;
  weightData: Uint8Array;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** Checkpoints only: the compile settings, so TF.js restores the optimizer state saved with the weights. */
  trainingConfig?: object;
  /** Graph models: the SavedModel signature (named inputs and outputs with dtypes and shapes), when the converter wrote one. */
  signature?: object;
  userDefinedMetadata?: object;
}

/** The two model formats of TensorFlow.js: Keras-style layers, or a converted TensorFlow graph. */
export type TfjsFormat = 'layers-model' | 'graph-model';

/** The format model.json declares, else the one its topology has: a graph is a list of nodes. */
export function tfjsFormatOf(parts: Pick<TfjsModelParts, 'format' | 'modelTopology'>): TfjsFormat {
  if (parts.format === 'graph-model' || parts.format === 'layers-model') return parts.format;
  return Array.isArray((parts.modelTopology as { node?: unknown }).node) ? 'graph-model' : 'layers-model';
}

const MAGIC = Buffer.from('MAASTFJ1');

/**
 * A TensorFlow.js layers model as one artifact: magic, the JSON of model.json with its weight
 * manifest reduced to specs, then the weight bytes in manifest order. Uploads in any layout
 * (multipart, .zip, .tar) are normalised to this before storage.
 */
export function encodeTfjsBundle(parts: TfjsModelParts): Buffer {
  const header = Buffer.from(
    JSON.stringify({ modelTopology: parts.modelTopology, weightSpecs: parts.weightSpecs, format: parts.format, generatedBy: parts.generatedBy, convertedBy: parts.convertedBy, trainingConfig: parts.trainingConfig, signature: parts.signature, userDefinedMetadata: parts.userDefinedMetadata }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  return Buffer.concat([MAGIC, length, header, parts.weightData]);
}

export function decodeTfjsBundle(bytes: Uint8Array): TfjsModelParts {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.byteLength < 12 || !buffer.subarray(0, 8).equals(MAGIC)) throw new InvalidModelError('not a TensorFlow.js bundle');
  const headerLength = buffer.readUInt32LE(8);
  if (12 + headerLength > buffer.byteLength) throw new InvalidModelError('the TensorFlow.js bundle is truncated');
  let header: Omit<TfjsModelParts, 'weightData'>;
  try {
    header = JSON.parse(buffer.subarray(12, 12 + headerLength).toString('utf8')) as Omit<TfjsModelParts, 'weightData'>;
  } catch {
    throw new InvalidModelError('the TensorFlow.js bundle is damaged: its header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new InvalidModelError('the TensorFlow.js bundle is damaged: its header is not an object');
  return { ...header, weightData: buffer.subarray(12 + headerLength) };
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, uint16: 2 };

/** A weight's bytes in the weight data: its element count × the size of its stored (perhaps quantized) type. */
export function storedWeightBytes(spec: { shape: number[]; dtype: string; quantization?: { dtype: string } }): number {
  const elements = spec.shape.reduce((product, dimension) => product * dimension, 1);
  return elements * (BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

/**
 * A checkpoint (weights + optimizer state) as a plain model: TF.js appends the optimizer's weights
 * (spec group "optimizer") after the model's, so the model's are a prefix of the weight data.
 */
export function withoutOptimizerState(bundle: Uint8Array): Buffer {
  const parts = decodeTfjsBundle(bundle);
  const modelSpecs = parts.weightSpecs.filter((spec) => (spec as { group?: string }).group !== 'optimizer');
  const modelBytes = modelSpecs.reduce((sum, spec) => sum + storedWeightBytes(spec), 0);
  return encodeTfjsBundle({ ...parts, weightSpecs: modelSpecs, weightData: parts.weightData.subarray(0, modelBytes), trainingConfig: undefined });
}

export function isTfjsBundle(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC);
}

/** model.json of a layers or graph model, as far as the platform relies on it (tfjs checks the topology itself). */
const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown(), { error: 'needs "modelTopology", an object (the layers or the graph of a TensorFlow.js model)' }),
  signature: z.record(z.string(), z.unknown()).optional(),
  userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string()),
      weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.string() }).loose()),
    }),
    { error: 'needs "weightsManifest", a list of weight groups' },
  ),
});

type ModelJson = z.infer<typeof modelJsonSchema>;

/**
 * Builds the parts from model.json and its weight files (by the file names model.json lists).
 * Every listed shard must be present; the messages name what is missing.
 */
export function partsFromModelFiles(files: Map<string, Uint8Array>): TfjsModelParts {
  const modelJsonName = [...files.keys()].find((name) => baseName(name) === 'model.json');
  if (!modelJsonName) throw new InvalidModelError('a TensorFlow.js upload needs a model.json (plus the weight files it lists)');
  const modelJson = readModelJson(files.get(modelJsonName)!);
  const byBaseName = new Map([...files].map(([name, data]) => [baseName(name), data]));
  const shards: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const path of group.paths) {
      const shard = byBaseName.get(baseName(path));
      if (!shard) throw new InvalidModelError(`weight file "${path}" listed in model.json was not uploaded`);
      shards.push(shard);
    }
  }
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData: Buffer.concat(shards),
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    signature: modelJson.signature,
    userDefinedMetadata: modelJson.userDefinedMetadata,
  };
}

function readModelJson(bytes: Uint8Array): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new InvalidModelError(`model.json is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new InvalidModelError(`model.json is not a TensorFlow.js model (layers or graph)${where}: ${issue.message}`);
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}
