import * as tf from '@tensorflow/tfjs-core';
import { GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import { fromTfTensor, ModelSignature, Tensor, toTfTensor } from '@maas/tensor';
import type { TfjsServable } from './tfjs-servable';
import { tensorSpec } from './tfjs-specs';

/**
 * A graph model (tfjs-converter's output of a SavedModel or TF Hub module). Its inputs and outputs
 * come from the model's signature when it has one, else from the graph's placeholders and sinks.
 * `execute` runs it synchronously; a graph with control flow or dynamic ops refuses that, and from
 * then on it runs with `executeAsync`.
 */
export async function loadGraphServable(artifacts: tf.io.ModelArtifacts): Promise<TfjsServable> {
  const model = await loadGraphModel(tf.io.fromMemory(artifacts));
  let needsAsync = false;
  const execute = async (feeds: tf.NamedTensorMap, names: string[]): Promise<tf.Tensor[]> => {
    if (!needsAsync) {
      try {
        return asList(model.execute(feeds, names));
      } catch (error) {
        if (!/executeAsync/.test((error as Error).message)) throw error;
        needsAsync = true;
      }
    }
    return asList(await model.executeAsync(feeds, names));
  };
  const signature = await graphSignature(model, artifacts.signature as SavedModelSignature | undefined, execute);
  return {
    format: 'graph-model',
    signature,
    run: async (inputs: Tensor[], outputs?: string[]) => {
      const feeds = Object.fromEntries(inputs.map((input) => [input.name, toTfTensor(input)]));
      const names = outputs ?? signature.outputs.map((output) => output.name);
      try {
        const results = await execute(feeds, names);
        const converted = results.map((tensor, index) => fromTfTensor(names[index], tensor));
        tf.dispose(results);
        return converted;
      } finally {
        tf.dispose(Object.values(feeds));
      }
    },
    dispose: () => model.dispose(),
  };
}

/** model.json's `signature`, as the converter writes it from the SavedModel's serving signature. */
interface SavedModelSignature {
  outputs?: Record<string, { name?: string; dtype?: string; tensorShape?: { dim?: Array<{ size?: string | number }>; unknownRank?: boolean } }>;
}

const DTYPE_OF_PROTO: Record<string, string> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool', DT_STRING: 'string' };

/**
 * Inputs from the graph's placeholders; outputs from the signature where it says their dtype and
 * shape, else learned by running the model once on zeros (free dimensions 1), the first axis then
 * variable. The run also proves the graph executes: an op TensorFlow.js lacks fails here, at upload.
 */
async function graphSignature(model: GraphModel, saved: SavedModelSignature | undefined, execute: (feeds: tf.NamedTensorMap, names: string[]) => Promise<tf.Tensor[]>): Promise<ModelSignature> {
  const inputs = model.inputs.map((input) => tensorSpec(input.name, input.shape, input.dtype));
  const declared = new Map(Object.values(saved?.outputs ?? {}).map((output) => [String(output.name ?? '').replace(/:0$/, ''), output]));
  const known = model.outputs.map((output) => {
    const entry = declared.get(output.name);
    const dims = entry?.tensorShape?.dim;
    if (!entry?.dtype || !dims || entry.tensorShape?.unknownRank) return undefined;
    return tensorSpec(output.name, dims.map((dimension) => Number(dimension.size ?? -1)), DTYPE_OF_PROTO[entry.dtype] ?? entry.dtype);
  });
  const probed = await probeOutputs(model, inputs, execute).catch((error: Error) => error);
  if (probed instanceof Error) {
    // Zeros with free dimensions of 1 may not fit a graph (a 3×3 convolution): then a declared signature stands, unless an op is missing.
    if (UNSUPPORTED_OP.test(probed.message) || !known.every(Boolean)) throw probed;
    return { inputs, outputs: known as ModelSignature['outputs'] };
  }
  return { inputs, outputs: model.outputs.map((output, index) => known[index] ?? probed[index]) };
}

const UNSUPPORTED_OP = /unknown op|not supported|unsupported|not implemented|is not registered/i;

async function probeOutputs(model: GraphModel, inputs: ModelSignature['inputs'], execute: (feeds: tf.NamedTensorMap, names: string[]) => Promise<tf.Tensor[]>) {
  const batched = inputs.some((input) => input.shape[0] === -1);
  const feeds = Object.fromEntries(inputs.map((input) => [input.name, tf.zeros(input.shape.map((size) => (size === -1 ? 1 : size)), input.datatype === 'BOOL' ? 'bool' : input.datatype === 'INT32' ? 'int32' : 'float32')]));
  const names = model.outputs.map((output) => output.name);
  try {
    const results = await execute(feeds, names);
    const specs = results.map((tensor, index) => tensorSpec(names[index], tensor.shape.map((size, axis) => (axis === 0 && batched ? -1 : size)), tensor.dtype));
    tf.dispose(results);
    return specs;
  } finally {
    tf.dispose(Object.values(feeds));
  }
}

function asList(result: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor[] {
  if (Array.isArray(result)) return result;
  return result instanceof tf.Tensor ? [result] : Object.values(result);
}
