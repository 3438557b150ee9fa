import { onnx } from 'onnx-proto';
import { float32ArrayToFp16 } from '@maas/tensor';
import { floatValues, intAttribute, isFloatTensor, node, tensorOf } from './onnx-graph';

const { DataType } = onnx.TensorProto;

/** Kernels and matrices (2-D or more, 64+ values) are halved; biases and norms stay float32: they save nothing and cost precision. */
const MIN_ELEMENTS = 64;

/**
 * fp16 storage for the float weights the given operators read: each becomes a FLOAT16 initializer
 * and a Cast back to float32 under its old name, so every node computes as before (ONNX Runtime
 * folds the Cast at load: on CPU it computes in float32, at the same speed). Returns how many
 * weights were converted.
 */
export function halveWeights(model: onnx.ModelProto, operators: ReadonlySet<string>): number {
  const graph = model.graph!;
  const readBy = new Set((graph.node ?? []).filter((candidate) => operators.has(candidate.opType!)).flatMap((candidate) => candidate.input ?? []));
  const casts: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  for (const tensor of graph.initializer ?? []) {
    const values = isFloatTensor(tensor) && readBy.has(tensor.name!) ? floatValues(tensor) : undefined;
    if (!values || values.length < MIN_ELEMENTS || (tensor.dims ?? []).length < 2) {
      initializers.push(tensor);
      continue;
    }
    initializers.push(tensorOf(`${tensor.name}_fp16`, (tensor.dims ?? []).map(Number), DataType.FLOAT16, float32ArrayToFp16(values)));
    casts.push(node('Cast', [`${tensor.name}_fp16`], [tensor.name!], [intAttribute('to', DataType.FLOAT)]));
  }
  graph.initializer = initializers;
  graph.node = [...casts, ...(graph.node ?? [])];
  return casts.length;
}
