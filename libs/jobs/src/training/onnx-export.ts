import type * as tfl from '@tensorflow/tfjs-layers';
import { onnx } from 'onnx-proto';

/** TF.js activations of a Dense layer and the ONNX operator that computes the same. */
const ACTIVATION_OPS: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', elu: 'Elu', selu: 'Selu', softplus: 'Softplus', softsign: 'Softsign' };

/** Layers an ONNX export can carry: dense layers (Gemm + activation); dropout is the identity at inference. */
export const EXPORTABLE_LAYERS = new Set(['dense', 'dropout']);
export const EXPORTABLE_ACTIVATIONS = new Set(Object.keys(ACTIVATION_OPS));

/**
 * A Dense-only Sequential model as ONNX: one Gemm per dense layer (the frozen feature-scaling
 * layer included, so the export takes raw features too) and its activation. Input `input`
 * [batch, features], output `output` [batch, units].
 */
export function exportDenseToOnnx(model: tfl.LayersModel): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let current = 'input';
  const dense = model.layers.filter((layer) => layer.getClassName() !== 'Dropout');
  dense.forEach((layer, index) => {
    if (layer.getClassName() !== 'Dense') throw new Error(`layer ${layer.name} (${layer.getClassName()}) cannot be exported to ONNX: only dense and dropout layers can`);
    const [kernel, bias] = layer.getWeights();
    const [inputs, units] = kernel.shape;
    initializers.push(floats(`W${index}`, [inputs, units], kernel.dataSync() as Float32Array), floats(`B${index}`, [units], bias ? (bias.dataSync() as Float32Array) : new Float32Array(units)));
    const activation = String((layer.getConfig() as { activation?: string }).activation ?? 'linear');
    const op = ACTIVATION_OPS[activation];
    if (op === undefined) throw new Error(`activation ${activation} of layer ${layer.name} has no ONNX export here`);
    const isLast = index === dense.length - 1;
    const gemm = isLast && op === null ? 'output' : `gemm${index}`;
    nodes.push(onnx.NodeProto.create({ opType: 'Gemm', input: [current, `W${index}`, `B${index}`], output: [gemm] }));
    current = gemm;
    if (op !== null) {
      const activated = isLast ? 'output' : `act${index}`;
      nodes.push(onnx.NodeProto.create({ opType: op, input: [gemm], output: [activated], attribute: op === 'Softmax' ? [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }] : [] }));
      current = activated;
    }
  });
  const inputSize = (model.inputs[0].shape[1] ?? -1) as number;
  const outputSize = (model.outputs[0].shape[1] ?? -1) as number;
  const graph: onnx.IGraphProto = { name: 'trained', node: nodes, initializer: initializers, input: [valueInfo('input', inputSize)], output: [valueInfo('output', outputSize)] };
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: 'maas-trainer', opsetImport: [{ domain: '', version: 17 }], graph })).finish();
}

function floats(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) });
}

function valueInfo(name: string, width: number): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}
