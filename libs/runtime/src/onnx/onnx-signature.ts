import type { InferenceSession } from 'onnxruntime-node';
import { datatypeOfOrtType, ModelSignature, TensorSpec } from '@maas/tensor';
import { InvalidModelError } from '../runtime-errors';

/** Inputs and outputs as KServe sees them; named or unnamed dynamic dimensions become -1. */
export function onnxSignature(session: InferenceSession): ModelSignature {
  return { inputs: session.inputMetadata.map(toSpec), outputs: session.outputMetadata.map(toSpec) };
}

function toSpec(metadata: InferenceSession.ValueMetadata): TensorSpec {
  if (!metadata.isTensor) throw new InvalidModelError(`"${metadata.name}" is not a tensor (sequences and maps are not served)`);
  const datatype = datatypeOfOrtType(metadata.type);
  if (!datatype) throw new InvalidModelError(`"${metadata.name}" has ONNX type ${metadata.type}, which KServe V2 cannot carry`);
  return { name: metadata.name, datatype, shape: metadata.shape.map((dimension) => (typeof dimension === 'number' && dimension >= 0 ? dimension : -1)) };
}
