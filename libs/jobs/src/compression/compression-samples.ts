import { decodeJsonData, elementCount, nestedShape, emptyData, ModelSignature, STORAGE, Tensor, type FixedWidthDatatype } from '@maas/tensor';
import { seededRandom } from '../training/example-split';

/** Rows generated when the request brings no samples. */
const GENERATED_ROWS = 16;

/** The request's samples as tensors of the signature's datatypes (a 400 names a misfit), or generated ones. */
export function sampleInputs(signature: ModelSignature, given: Record<string, unknown[]> | undefined): Tensor[] {
  if (given) {
    return signature.inputs.map((spec) => {
      const shape = nestedShape(given[spec.name]);
      return { name: spec.name, datatype: spec.datatype, shape, data: decodeJsonData(spec.name, spec.datatype, shape, given[spec.name] ?? []) };
    });
  }
  const random = seededRandom(42);
  return signature.inputs.map((spec) => {
    const shape = spec.shape.map((size, axis) => (size !== -1 ? size : axis === 0 ? GENERATED_ROWS : 1));
    const data = emptyData(spec.datatype, elementCount(shape));
    if (!Array.isArray(data)) fill(data as InstanceType<(typeof STORAGE)[FixedWidthDatatype]>, spec.datatype, random);
    return { name: spec.name, datatype: spec.datatype, shape, data };
  });
}

/** Floats uniform in [−1, 1); integers 0–9; booleans half and half. */
function fill(data: ArrayLike<number | bigint> & { [index: number]: number | bigint }, datatype: string, random: () => number): void {
  for (let index = 0; index < data.length; index++) {
    if (datatype.startsWith('FP')) data[index] = datatype === 'FP16' ? 0x3c00 * Number(random() < 0.5) : random() * 2 - 1;
    else if (datatype === 'BOOL') data[index] = random() < 0.5 ? 1 : 0;
    else data[index] = datatype.endsWith('64') ? BigInt(Math.floor(random() * 10)) : Math.floor(random() * 10);
  }
}
