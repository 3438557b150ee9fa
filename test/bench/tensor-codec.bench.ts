import { decodeBinaryRequest, decodeJsonRequest, encodeBinaryResponse, encodeJsonResponse, Tensor } from '@maas/tensor';
import { BenchmarkReport, medianMs, megabytesPerSecond } from './measure';

const ELEMENTS = 262_144; // 1 MiB of FP32

/** Encode/decode throughput of a 1 MiB FP32 tensor, JSON vs Triton's binary extension. */
export function benchmarkTensorCodec(): BenchmarkReport {
  const values = Float32Array.from({ length: ELEMENTS }, (_, i) => Math.sin(i) * 100);
  const tensor: Tensor = { name: 'x', datatype: 'FP32', shape: [1, ELEMENTS], data: values };
  const bytes = values.byteLength;

  const jsonBody = encodeJsonResponse({ model_name: 'm', outputs: [tensor] }).replace('"outputs"', '"inputs"');
  const binaryHeader = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, ELEMENTS], parameters: { binary_data_size: bytes } }] }));
  const binaryBody = Buffer.concat([binaryHeader, Buffer.from(values.buffer)]);
  const binaryHeaderLength = binaryHeader.byteLength;

  const baselineDecode = medianMs(() => Float32Array.from((JSON.parse(jsonBody) as { inputs: Array<{ data: number[] }> }).inputs[0].data));
  const jsonDecode = medianMs(() => decodeJsonRequest(JSON.parse(jsonBody)));
  const binaryDecode = medianMs(() => decodeBinaryRequest(binaryBody, binaryHeaderLength), 200);
  const jsonEncode = medianMs(() => encodeJsonResponse({ model_name: 'm', outputs: [tensor] }));
  const binaryEncode = medianMs(() => Buffer.concat(encodeBinaryResponse({ model_name: 'm', outputs: [tensor] }, () => true).chunks), 200);

  const binaryOverJson = jsonDecode / binaryDecode;
  const jsonOverBaseline = jsonDecode / baselineDecode;
  return {
    title: 'libs/tensor codec: 1 MiB FP32 tensor',
    rows: [
      { operation: 'JSON.parse + Float32Array.from (baseline)', 'ms (median)': round(baselineDecode), 'MB/s': round(megabytesPerSecond(bytes, baselineDecode)) },
      { operation: 'JSON decode (validated)', 'ms (median)': round(jsonDecode), 'MB/s': round(megabytesPerSecond(bytes, jsonDecode)) },
      { operation: 'binary decode', 'ms (median)': round(binaryDecode), 'MB/s': round(megabytesPerSecond(bytes, binaryDecode)) },
      { operation: 'JSON encode', 'ms (median)': round(jsonEncode), 'MB/s': round(megabytesPerSecond(bytes, jsonEncode)) },
      { operation: 'binary encode', 'ms (median)': round(binaryEncode), 'MB/s': round(megabytesPerSecond(bytes, binaryEncode)) },
    ],
    goals: [
      { name: 'binary decode speed-up over JSON decode', value: binaryOverJson, target: '>= 20x', met: binaryOverJson >= 20 },
      { name: 'JSON decode time / (JSON.parse + Float32Array.from)', value: jsonOverBaseline, target: '<= 2x', met: jsonOverBaseline <= 2 },
    ],
  };
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
