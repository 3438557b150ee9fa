import * as tf from '@tensorflow/tfjs-core';
import { LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { DATATYPES, Datatype, ModelSignature, TensorSpec } from '@maas/tensor';
import { InvalidModelError } from '../runtime-errors';
import { tfjsBackend } from './tfjs-backend';
import { decodeTfjsBundle } from './tfjs-bundle';

/** Loads a layers model from a bundle held in memory. */
export async function loadTfjsModel(bundle: Uint8Array): Promise<LayersModel> {
  await tfjsBackend();
  const parts = decodeTfjsBundle(bundle);
  const weightData = parts.weightData.buffer.slice(parts.weightData.byteOffset, parts.weightData.byteOffset + parts.weightData.byteLength) as ArrayBuffer;
  try {
    return await loadLayersModel(tf.io.fromMemory({ modelTopology: parts.modelTopology, weightSpecs: parts.weightSpecs as tf.io.WeightsManifestEntry[], weightData }));
  } catch (error) {
    throw new InvalidModelError(`TensorFlow.js could not load the model: ${String((error as Error).message).split('\n')[0]}`);
  }
}

export function tfjsSignature(model: LayersModel): ModelSignature {
  return {
    inputs: model.inputs.map((input, index) => toSpec(model.inputNames[index] ?? input.name, input.shape, input.dtype)),
    outputs: model.outputs.map((output, index) => toSpec(model.outputNames[index] ?? output.name, output.shape, output.dtype)),
  };
}

const DATATYPE_OF_DTYPE: Partial<Record<string, Datatype>> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };

function toSpec(name: string, shape: Array<number | null>, dtype: string): TensorSpec {
  const datatype = DATATYPE_OF_DTYPE[dtype];
  if (!datatype || !DATATYPES.includes(datatype)) throw new InvalidModelError(`"${name}" has tfjs dtype ${dtype}, which KServe V2 cannot carry`);
  return { name, datatype, shape: shape.map((dimension) => dimension ?? -1) };
}
