import { Datatype } from './datatypes';
import { float32ToFp16Bits } from './fp16';
import { Tensor } from './tensor';

const utf8 = new TextEncoder();

/** One small tensor of each datatype, with edge values (range limits, unicode, large 64-bit ints). */
export function sampleTensors(): Tensor[] {
  const make = (datatype: Datatype, data: Tensor['data'], shape = [2, 2]): Tensor => ({ name: `t_${datatype.toLowerCase()}`, datatype, shape, data });
  return [
    make('BOOL', Uint8Array.from([1, 0, 0, 1])),
    make('UINT8', Uint8Array.from([0, 1, 128, 255])),
    make('UINT16', Uint16Array.from([0, 1, 40000, 65535])),
    make('UINT32', Uint32Array.from([0, 1, 3_000_000_000, 4294967295])),
    make('UINT64', BigUint64Array.from([0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n])),
    make('INT8', Int8Array.from([-128, -1, 0, 127])),
    make('INT16', Int16Array.from([-32768, -1, 0, 32767])),
    make('INT32', Int32Array.from([-2147483648, -1, 0, 2147483647])),
    make('INT64', BigInt64Array.from([-(2n ** 63n), -1n, 2n ** 53n + 1n, 2n ** 63n - 1n])),
    make('FP16', Uint16Array.from([1, -2, 0.5, 65504].map(float32ToFp16Bits))),
    make('FP32', Float32Array.from([-1.5, 0, 3.25, 1e-7])),
    make('FP64', Float64Array.from([-1.5, 0, Math.PI, 1e-300])),
    make('BYTES', ['', 'hello', 'ünïcødé ✓', 'x'.repeat(300)].map((text) => utf8.encode(text))),
  ];
}

/** Plain values of a tensor's data, for deep equality across storage (views vs copies). */
export function plainData(tensor: Pick<Tensor, 'data'>): unknown[] {
  return Array.isArray(tensor.data) ? tensor.data.map((item) => Array.from(item)) : Array.from(tensor.data as ArrayLike<unknown>);
}
