import { float32ArrayToFp16 } from '@maas/tensor';
import { decodeTfjsBundle, encodeTfjsBundle, storedWeightBytes, TfjsModelParts } from '../tfjs/tfjs-bundle';
import { CompressionRefusedError } from './compression-errors';
import type { CompressedModel, CompressionMethod } from './onnx-compression';

/** Kernels and matrices (2-D or more, 64+ values) are compressed; biases and norms stay float32: they save nothing and cost precision. */
const MIN_ELEMENTS = 64;

type WeightSpec = TfjsModelParts['weightSpecs'][number] & { quantization?: { dtype: string; scale?: number; min?: number } };

/**
 * A TF.js model (layers or graph) with its float32 weights stored in the converter's quantized
 * formats — `float16`, or `uint8` with a per-tensor scale and minimum — which TensorFlow.js
 * dequantizes at load: the same computation, 2× or 4× less to store and send. `auto` is fp16.
 */
export function compressTfjs(bundle: Uint8Array, method: CompressionMethod): CompressedModel {
  const parts = decodeTfjsBundle(bundle);
  const specs: WeightSpec[] = [];
  const pieces: Uint8Array[] = [];
  let offset = 0;
  let converted = 0;
  for (const spec of parts.weightSpecs as WeightSpec[]) {
    const size = storedBytes(spec);
    const data = parts.weightData.subarray(offset, offset + size);
    offset += size;
    if (spec.dtype !== 'float32' || spec.quantization || size / 4 < MIN_ELEMENTS || spec.shape.length < 2) {
      specs.push(spec);
      pieces.push(data);
      continue;
    }
    const values = new Float32Array(Uint8Array.from(data).buffer);
    const quantized = method === 'int8' ? toUint8(values) : { bytes: new Uint8Array(float32ArrayToFp16(values).buffer), quantization: { dtype: 'float16' } };
    specs.push({ ...spec, quantization: quantized.quantization });
    pieces.push(quantized.bytes);
    converted++;
  }
  if (converted === 0) throw new CompressionRefusedError(`nothing to compress with ${method}: the model has no float32 weight of ${MIN_ELEMENTS} or more values`);
  const bytes = encodeTfjsBundle({ ...parts, weightSpecs: specs, weightData: Buffer.concat(pieces) });
  return { bytes, int8Nodes: method === 'int8' ? converted : 0, fp16Weights: method === 'int8' ? 0 : converted };
}

/** Affine uint8 over the tensor's range: value = q × scale + min (the converter's uint8 quantization). */
function toUint8(values: Float32Array): { bytes: Uint8Array; quantization: { dtype: string; scale: number; min: number } } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) [min, max] = [Math.min(min, value), Math.max(max, value)];
  const scale = (max - min) / 255 || 1;
  const bytes = Uint8Array.from(values, (value) => Math.round((value - min) / scale));
  return { bytes, quantization: { dtype: 'uint8', scale, min } };
}

function storedBytes(spec: WeightSpec): number {
  if (spec.dtype === 'string') throw new CompressionRefusedError('the model has string weights, which compression does not handle');
  return storedWeightBytes(spec);
}
