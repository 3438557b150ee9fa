import { CompressionRefusedError } from './compression-errors';
import { halveWeights } from './onnx-fp16';
import { decodeModel, encodeModel, opsetOf } from './onnx-graph';
import { quantizeMatMulWeights } from './onnx-int8';

export type CompressionMethod = 'int8' | 'fp16' | 'auto';

export const COMPRESSION_METHODS: readonly CompressionMethod[] = ['int8', 'fp16', 'auto'];

/** What each method does to which operators (measured on CPU, see DESIGN.md §4). */
const FP16_OPERATORS = new Set(['Conv', 'ConvTranspose', 'LSTM', 'GRU', 'RNN', 'MatMul', 'Gemm']);
const AUTO_FP16_OPERATORS = new Set(['Conv', 'ConvTranspose', 'LSTM', 'GRU', 'RNN']);

export interface CompressedModel {
  bytes: Uint8Array;
  /** Nodes (int8) and weights (fp16) rewritten. */
  int8Nodes: number;
  fp16Weights: number;
}

/**
 * An ONNX model with smaller weights: int8 for MatMul/Gemm (faster too), fp16 storage for
 * Conv/recurrent weights (same speed), or `auto`: each where it pays. A model with nothing the
 * method applies to is refused, naming why.
 */
export function compressOnnx(bytes: Uint8Array, method: CompressionMethod): CompressedModel {
  const model = decodeModel(bytes);
  // Before opset 11 there is no DynamicQuantizeLinear: auto stores every weight in fp16 instead.
  const int8Possible = opsetOf(model) >= 11;
  const int8Nodes = method === 'int8' || (method === 'auto' && int8Possible) ? quantizeMatMulWeights(model) : 0;
  const fp16Weights = method === 'int8' ? 0 : halveWeights(model, method === 'fp16' || !int8Possible ? FP16_OPERATORS : AUTO_FP16_OPERATORS);
  if (int8Nodes + fp16Weights === 0) {
    const what = method === 'int8' ? 'MatMul or Gemm nodes with a constant 2-D weight' : method === 'fp16' ? 'float kernels or matrices (2-D or more, 64+ values) read by Conv, LSTM, GRU, MatMul or Gemm' : 'MatMul/Gemm weights (int8) or Conv/recurrent weights (fp16)';
    throw new CompressionRefusedError(`nothing to compress with ${method}: the model has no ${what}`);
  }
  return { bytes: encodeModel(model), int8Nodes, fp16Weights };
}
