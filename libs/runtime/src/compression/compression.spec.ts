import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convOnnx, mlpOnnx, outlierOnnx } from '../../../../test/fixtures/onnx-models';
import { compressOnnx } from './onnx-compression';

async function run(model: Uint8Array, name: string, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const result = await session.run({ [name]: new ort.Tensor('float32', data, dims) });
  await session.release();
  return result[session.outputNames[0]].data as Float32Array;
}

function relativeL2(expected: Float32Array, actual: Float32Array): number {
  let error = 0;
  let norm = 0;
  expected.forEach((value, index) => {
    error += (value - actual[index]) ** 2;
    norm += value ** 2;
  });
  return Math.sqrt(error / norm);
}

const inputs = (count: number) => Float32Array.from({ length: count }, (_, index) => Math.sin(index * 1.7));

describe('ONNX compression', () => {
  it('int8: MatMul/Gemm weights quantized per column, ~4× smaller, outputs within 2%', async () => {
    for (const transB of [false, true]) {
      const parent = mlpOnnx([64, 256, 256, 10], { transB });
      const { bytes, int8Nodes, fp16Weights } = compressOnnx(parent, 'int8');
      expect([int8Nodes, fp16Weights]).toEqual([3, 0]);
      expect(parent.byteLength / bytes.byteLength).toBeGreaterThan(3.5);
      const x = inputs(8 * 64);
      expect(relativeL2(await run(parent, 'input', x, [8, 64]), await run(bytes, 'input', x, [8, 64]))).toBeLessThan(0.02);
    }
  });

  it('fp16: Conv weights stored as halves with a Cast, ~2× smaller, outputs within 1e-3', async () => {
    const parent = convOnnx();
    const { bytes, fp16Weights } = compressOnnx(parent, 'fp16');
    expect(fp16Weights).toBe(3);
    expect(parent.byteLength / bytes.byteLength).toBeGreaterThan(1.9);
    const x = inputs(2 * 3 * 16 * 16);
    expect(relativeL2(await run(parent, 'image', x, [2, 3, 16, 16]), await run(bytes, 'image', x, [2, 3, 16, 16]))).toBeLessThan(1e-3);
    // auto picks fp16 for convolutions as well.
    expect(compressOnnx(parent, 'auto')).toMatchObject({ int8Nodes: 0, fp16Weights: 3 });
  });

  it('refuses int8 before opset 11, and auto falls back to fp16 there', () => {
    const old = mlpOnnx([64, 128, 10], { opset: 9 });
    expect(() => compressOnnx(old, 'int8')).toThrow(/int8 needs opset 11 \(DynamicQuantizeLinear\); the model imports opset 9/);
    expect(compressOnnx(old, 'auto')).toMatchObject({ int8Nodes: 0, fp16Weights: 2 });
  });

  it('refuses a model with nothing the method applies to', () => {
    expect(() => compressOnnx(convOnnx(), 'int8')).toThrow(/nothing to compress with int8: the model has no MatMul or Gemm nodes/);
  });

  it('an outlier per column ruins int8 (the check against the parent must catch it)', async () => {
    const parent = outlierOnnx();
    const { bytes } = compressOnnx(parent, 'int8');
    const x = inputs(4 * 16).map((value, index) => (index % 16 === 0 ? 0 : value));
    expect(relativeL2(await run(parent, 'input', x, [4, 16]), await run(bytes, 'input', x, [4, 16]))).toBeGreaterThan(0.5);
  });
});
