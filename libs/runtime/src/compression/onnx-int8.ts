import { onnx } from 'onnx-proto';
import { CompressionRefusedError } from './compression-errors';
import { attribute, floatValues, intAttribute, isFloatTensor, node, opsetOf, tensorOf } from './onnx-graph';

const { DataType } = onnx.TensorProto;

/** DynamicQuantizeLinear, which quantizes the activations at run time, came with opset 11. */
const MIN_OPSET = 11;

/**
 * int8 weights for MatMul and Gemm in QOperator form, as ONNX Runtime's own dynamic quantizer
 * writes them: each constant weight quantized per output column (symmetric, zero point 0), the
 * activation quantized at run time (DynamicQuantizeLinear), MatMulInteger, then a Cast and one Mul by
 * both scales — the pattern ORT fuses into DynamicQuantizeMatMul. Gemm's transB is undone on the
 * weight; its alpha joins the scale, beta the bias.
 * Returns how many nodes were quantized.
 */
export function quantizeMatMulWeights(model: onnx.ModelProto): number {
  const graph = model.graph!;
  const weights = new Map((graph.initializer ?? []).map((tensor) => [tensor.name!, tensor]));
  const nodes: onnx.INodeProto[] = [];
  let quantized = 0;
  for (const original of graph.node ?? []) {
    const rewritten = original.opType === 'MatMul' || original.opType === 'Gemm' ? rewrite(original, weights, graph) : undefined;
    if (!rewritten) {
      nodes.push(original);
      continue;
    }
    if (opsetOf(model) < MIN_OPSET) throw new CompressionRefusedError(`int8 needs opset ${MIN_OPSET} (DynamicQuantizeLinear); the model imports opset ${opsetOf(model)}: compress it with fp16, or export it again with a newer opset`);
    nodes.push(...rewritten);
    quantized++;
  }
  graph.node = nodes;
  const used = new Set(nodes.flatMap((candidate) => candidate.input ?? []));
  graph.initializer = (graph.initializer ?? []).filter((tensor) => used.has(tensor.name!));
  return quantized;
}

function rewrite(original: onnx.INodeProto, weights: Map<string, onnx.ITensorProto>, graph: onnx.IGraphProto): onnx.INodeProto[] | undefined {
  const [input, weightName, biasName] = original.input ?? [];
  const weight = weights.get(weightName);
  if (!weight || !isFloatTensor(weight) || weight.dims?.length !== 2) return undefined;
  const isGemm = original.opType === 'Gemm';
  if (isGemm && Number(attribute(original, 'transA')?.i ?? 0) !== 0) return undefined;
  const transposed = isGemm && Number(attribute(original, 'transB')?.i ?? 0) === 1;
  const alpha = isGemm ? (attribute(original, 'alpha')?.f ?? 1) : 1;
  const beta = isGemm ? (attribute(original, 'beta')?.f ?? 1) : 1;
  const [rows, columns] = transposed ? [Number(weight.dims[1]), Number(weight.dims[0])] : [Number(weight.dims[0]), Number(weight.dims[1])];
  const { values, scales } = quantizePerColumn(floatValues(weight), rows, columns, transposed);
  const prefix = original.output![0];
  const added = [
    tensorOf(`${prefix}_Wq`, [rows, columns], DataType.INT8, values),
    tensorOf(`${prefix}_Wscale`, [columns], DataType.FLOAT, scales.map((scale) => scale * alpha)),
    tensorOf(`${prefix}_Wzero`, [columns], DataType.INT8, new Int8Array(columns)),
  ];
  const nodes = [
    node('DynamicQuantizeLinear', [input], [`${prefix}_Xq`, `${prefix}_Xscale`, `${prefix}_Xzero`]),
    node('MatMulInteger', [`${prefix}_Xq`, `${prefix}_Wq`, `${prefix}_Xzero`, `${prefix}_Wzero`], [`${prefix}_int`]),
    node('Cast', [`${prefix}_int`], [`${prefix}_float`], [intAttribute('to', DataType.FLOAT)]),
    node('Mul', [`${prefix}_Xscale`, `${prefix}_Wscale`], [`${prefix}_scale`]),
  ];
  const hasBias = isGemm && biasName;
  nodes.push(node('Mul', [`${prefix}_float`, `${prefix}_scale`], [hasBias ? `${prefix}_nobias` : prefix]));
  if (hasBias) {
    const bias = weights.get(biasName);
    const scaledBias = bias && beta !== 1 ? tensorOf(`${prefix}_bias`, (bias.dims ?? []).map(Number), DataType.FLOAT, floatValues(bias).map((value) => value * beta)) : undefined;
    if (scaledBias) added.push(scaledBias);
    nodes.push(node('Add', [`${prefix}_nobias`, scaledBias ? scaledBias.name : biasName], [prefix]));
  }
  graph.initializer = [...(graph.initializer ?? []), ...added];
  return nodes;
}

/** Symmetric per-column int8: scale = max |w| / 127 over the column, q = round(w / scale). */
function quantizePerColumn(weights: Float32Array, rows: number, columns: number, transposed: boolean): { values: Int8Array; scales: Float32Array } {
  const at = (row: number, column: number) => (transposed ? weights[column * rows + row] : weights[row * columns + column]);
  const scales = new Float32Array(columns);
  for (let column = 0; column < columns; column++) {
    let largest = 0;
    for (let row = 0; row < rows; row++) largest = Math.max(largest, Math.abs(at(row, column)));
    scales[column] = largest / 127 || 1;
  }
  const values = new Int8Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) values[row * columns + column] = Math.max(-127, Math.min(127, Math.round(at(row, column) / scales[column])));
  }
  return { values, scales };
}
