import { onnx } from 'onnx-proto';
import { CompressionRefusedError } from './compression-errors';

const { DataType } = onnx.TensorProto;

/** ONNX's protobuf limit: beyond it weights live in external files, which an upload cannot carry. */
export const MAX_COMPRESSIBLE_BYTES = 2 ** 31;

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  if (bytes.byteLength >= MAX_COMPRESSIBLE_BYTES) throw new CompressionRefusedError('the model is over 2 GB: compressing models with external data is not supported yet');
  const model = onnx.ModelProto.decode(bytes);
  if (model.graph?.initializer?.some((tensor) => tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)) {
    throw new CompressionRefusedError('the model keeps its weights in external data files: compressing those is not supported yet');
  }
  return model;
}

export function encodeModel(model: onnx.ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The default domain's opset the model imports. */
export function opsetOf(model: onnx.IModelProto): number {
  const entry = model.opsetImport?.find((imported) => !imported.domain || imported.domain === 'ai.onnx');
  return Number(entry?.version ?? 1);
}

/** An initializer's values as float32, whether stored as raw bytes or in float_data. */
export function floatValues(tensor: onnx.ITensorProto): Float32Array {
  if (tensor.rawData && tensor.rawData.byteLength) {
    const raw = tensor.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(tensor.floatData ?? []);
}

export function isFloatTensor(tensor: onnx.ITensorProto): boolean {
  return tensor.dataType === DataType.FLOAT;
}

export function tensorOf(name: string, dims: number[], dataType: onnx.TensorProto.DataType, bytes: ArrayBufferView): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType, rawData: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
}

export function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input, output, attribute, name: `${output[0]}_${opType}` });
}

export function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

export function attribute(nodeProto: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return nodeProto.attribute?.find((candidate) => candidate.name === name);
}
