import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { fromTfTensor, toTfTensor } from '@maas/tensor';
import { InvalidModelError } from '../runtime-errors';
import { tfjsBackend } from './tfjs-backend';
import { decodeTfjsBundle, TfjsModelParts, tfjsFormatOf, type TfjsFormat } from './tfjs-bundle';
import { loadGraphServable } from './tfjs-graph-model';
import type { TfjsServable } from './tfjs-servable';
import { tensorSpec } from './tfjs-specs';

export type { TfjsServable } from './tfjs-servable';

/** Loads a layers or graph model from a bundle held in memory; an error names the format it was taken for. */
export async function loadTfjsModel(bundle: Uint8Array): Promise<TfjsServable> {
  await tfjsBackend();
  const parts = decodeTfjsBundle(bundle);
  const format = tfjsFormatOf(parts);
  const weightData = parts.weightData.buffer.slice(parts.weightData.byteOffset, parts.weightData.byteOffset + parts.weightData.byteLength) as ArrayBuffer;
  const artifacts: tf.io.ModelArtifacts = { modelTopology: parts.modelTopology, weightSpecs: parts.weightSpecs as tf.io.WeightsManifestEntry[], weightData, format: parts.format, signature: parts.signature, userDefinedMetadata: parts.userDefinedMetadata as Record<string, {}> | undefined };
  try {
    return format === 'graph-model' ? await loadGraphServable(artifacts) : await loadLayersServable(artifacts);
  } catch (error) {
    if (error instanceof InvalidModelError) throw error;
    throw new InvalidModelError(`the upload is a TensorFlow.js ${format === 'graph-model' ? 'graph model' : 'layers model'} (${formatEvidence(parts, format)}), but TensorFlow.js could not load it as one: ${shortReason(error)}`);
  }
}

async function loadLayersServable(artifacts: tf.io.ModelArtifacts): Promise<TfjsServable> {
  const model = await loadLayersModel(tf.io.fromMemory(artifacts));
  // A tensor's `name` is made unique across the process (the second load of a model in one thread
  // names its input "dense_Dense1_input_1"); `originalName` is the one the model's JSON gives, the
  // same in every process — so a model shares a thread with others without renaming its signature.
  const signature = {
    inputs: model.inputs.map((input, index) => tensorSpec(model.inputNames[index] ?? input.originalName ?? input.name, input.shape, input.dtype)),
    outputs: model.outputs.map((output, index) => tensorSpec(model.outputNames[index] ?? output.originalName ?? output.name, output.shape, output.dtype)),
  };
  return {
    format: 'layers-model',
    signature,
    run: async (inputs, outputs) => {
      const byName = new Map(inputs.map((input) => [input.name, input]));
      const tensors = signature.inputs.map((spec) => toTfTensor(byName.get(spec.name)!));
      const predicted = model.predict(tensors.length === 1 ? tensors[0] : tensors);
      const list = Array.isArray(predicted) ? predicted : [predicted];
      const results = list.map((tensor, index) => fromTfTensor(signature.outputs[index].name, tensor));
      tf.dispose([...tensors, ...list]);
      return outputs ? results.filter((result) => outputs.includes(result.name)) : results;
    },
    dispose: () => model.dispose(),
  };
}

function formatEvidence(parts: TfjsModelParts, format: TfjsFormat): string {
  if (parts.format) return `model.json says "format": "${parts.format}"`;
  return format === 'graph-model' ? 'its modelTopology is a list of graph nodes' : 'its modelTopology describes layers';
}

/** TensorFlow.js's reason in one short line: never the artifact it quotes (a layers loader dumps the whole node list). */
function shortReason(error: unknown): string {
  const line = String((error as Error)?.message ?? error).split('\n')[0];
  const withoutDump = line.replace(/[{[].*$/, '').trim().replace(/[:,]$/, '');
  return (withoutDump || 'unknown error').slice(0, 200);
}
