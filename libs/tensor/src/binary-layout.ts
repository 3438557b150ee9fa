import { endianness } from 'node:os';
import { bytesPerElement, Datatype, FixedWidthDatatype, STORAGE } from './datatypes';
import { BytesArray, elementCount, isBytesData, Tensor, TensorData } from './tensor';
import { InvalidTensorError } from './tensor-errors';

// Typed arrays use the host's byte order and the extension is little-endian: views are only
// correct on little-endian hosts (x86-64, arm64), so refuse to run anywhere else.
if (endianness() !== 'LE') throw new Error('libs/tensor supports little-endian hosts only');

/**
 * Reads one tensor's bytes in the binary extension's layout: fixed-width elements packed
 * little-endian (BOOL one byte each), BYTES as 4-byte little-endian lengths each followed by its
 * bytes. Fixed-width data is a view over `bytes` (no copy) when the offset is aligned.
 */
export function decodeBinaryData(name: string, datatype: Datatype, shape: number[], bytes: Uint8Array): TensorData {
  const count = elementCount(shape);
  if (datatype === 'BYTES') return decodeBytesElements(name, count, bytes);
  const width = bytesPerElement(datatype);
  if (bytes.byteLength !== count * width) {
    throw new InvalidTensorError(
      `input "${name}": binary_data_size is ${bytes.byteLength} bytes, but ${count} ${datatype} elements of shape [${shape.join(',')}] take ${count * width}`,
    );
  }
  const Storage = STORAGE[datatype];
  if (bytes.byteOffset % width === 0) return new Storage(bytes.buffer, bytes.byteOffset, count);
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  return new Storage(aligned.buffer, 0, count);
}

function decodeBytesElements(name: string, count: number, bytes: Uint8Array): BytesArray {
  // Every element takes at least its 4-byte length: refuse a shape the data cannot hold before allocating for it.
  if (count * 4 > bytes.byteLength) throw new InvalidTensorError(`input "${name}": ${count} BYTES elements need at least ${count * 4} bytes, binary_data_size is ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: BytesArray = new Array(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.byteLength) throw new InvalidTensorError(`input "${name}": binary BYTES data ends before element ${i} of ${count}`);
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.byteLength) throw new InvalidTensorError(`input "${name}": binary BYTES element ${i} claims ${length} bytes, past the end of its data`);
    items[i] = bytes.subarray(offset, offset + length);
    offset += length;
  }
  if (offset !== bytes.byteLength) throw new InvalidTensorError(`input "${name}": binary BYTES data has ${bytes.byteLength - offset} bytes after its ${count} elements`);
  return items;
}

/** The tensor's data as byte chunks in the binary layout; fixed-width data is not copied. */
export function encodeBinaryData(tensor: Pick<Tensor, 'data'>): Uint8Array[] {
  const { data } = tensor;
  if (!isBytesData(data)) return [new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  const chunks: Uint8Array[] = [];
  for (const item of data) {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, item.byteLength, true);
    chunks.push(length, item);
  }
  return chunks;
}

export function isFixedWidth(datatype: Datatype): datatype is FixedWidthDatatype {
  return datatype !== 'BYTES';
}
