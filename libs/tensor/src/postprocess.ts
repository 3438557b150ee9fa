import { numericValues } from './numeric-values';
import { isBytesData, Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

/**
 * Post-processing on the last axis of a numeric tensor (class scores, embeddings). Results are FP32
 * (indices INT64), each computed row by row in double precision.
 */
export function softmax(tensor: Tensor): Tensor {
  return mapRows(tensor, (row, out) => {
    const max = Math.max(...row);
    let sum = 0;
    for (let i = 0; i < row.length; i++) sum += out[i] = Math.exp(row[i] - max);
    for (let i = 0; i < row.length; i++) out[i] /= sum;
  });
}

export function sigmoid(tensor: Tensor): Tensor {
  return mapRows(tensor, (row, out) => {
    for (let i = 0; i < row.length; i++) out[i] = 1 / (1 + Math.exp(-row[i]));
  });
}

export function l2Normalize(tensor: Tensor): Tensor {
  return mapRows(tensor, (row, out) => {
    let sumOfSquares = 0;
    for (const value of row) sumOfSquares += value * value;
    const norm = Math.sqrt(sumOfSquares) || 1;
    for (let i = 0; i < row.length; i++) out[i] = row[i] / norm;
  });
}

export function argmax(tensor: Tensor): Tensor {
  const { rows, width } = numericRows(tensor);
  const indices = new BigInt64Array(rows.length / width);
  for (let r = 0; r < indices.length; r++) {
    let best = 0;
    for (let i = 1; i < width; i++) if (rows[r * width + i] > rows[r * width + best]) best = i;
    indices[r] = BigInt(best);
  }
  return { name: `${tensor.name}_argmax`, datatype: 'INT64', shape: tensor.shape.slice(0, -1), data: indices };
}

/** The k largest values of each row, largest first, with their indices (ties keep the lower index first). */
export function topK(tensor: Tensor, k: number): { values: Tensor; indices: Tensor } {
  const { rows, width } = numericRows(tensor);
  if (!Number.isInteger(k) || k < 1 || k > width) throw new InvalidTensorError(`top-k: k must be an integer between 1 and ${width}, got ${k}`);
  const rowCount = rows.length / width;
  const values = new Float32Array(rowCount * k);
  const indices = new BigInt64Array(rowCount * k);
  const order = Array.from({ length: width }, (_, i) => i);
  for (let r = 0; r < rowCount; r++) {
    const base = r * width;
    const ranked = order.slice().sort((a, b) => rows[base + b] - rows[base + a] || a - b);
    for (let j = 0; j < k; j++) {
      values[r * k + j] = rows[base + ranked[j]];
      indices[r * k + j] = BigInt(ranked[j]);
    }
  }
  const shape = [...tensor.shape.slice(0, -1), k];
  return {
    values: { name: `${tensor.name}_topk_values`, datatype: 'FP32', shape, data: values },
    indices: { name: `${tensor.name}_topk_indices`, datatype: 'INT64', shape, data: indices },
  };
}

function mapRows(tensor: Tensor, compute: (row: Float64Array, out: Float64Array) => void): Tensor {
  const { rows, width } = numericRows(tensor);
  const result = new Float32Array(rows.length);
  const out = new Float64Array(width);
  for (let start = 0; start < rows.length; start += width) {
    compute(rows.subarray(start, start + width), out);
    result.set(out, start);
  }
  return { name: tensor.name, datatype: 'FP32', shape: tensor.shape.slice(), data: result };
}

/** The tensor's values as doubles, with the width of the last axis. */
function numericRows(tensor: Tensor): { rows: Float64Array; width: number } {
  if (isBytesData(tensor.data)) throw new InvalidTensorError(`"${tensor.name}" is BYTES; post-processing needs numbers`);
  if (tensor.shape.length === 0 || tensor.shape[tensor.shape.length - 1] === 0) {
    throw new InvalidTensorError(`"${tensor.name}" needs a non-empty last axis for post-processing, has shape [${tensor.shape.join(',')}]`);
  }
  return { rows: numericValues(tensor), width: tensor.shape[tensor.shape.length - 1] };
}
