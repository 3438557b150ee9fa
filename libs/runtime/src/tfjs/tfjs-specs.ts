import { DATATYPES, Datatype, TensorSpec } from '@maas/tensor';
import { InvalidModelError } from '../runtime-errors';

const DATATYPE_OF_DTYPE: Partial<Record<string, Datatype>> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };

/** A TF.js input or output as a KServe tensor spec (unknown dimensions −1). */
export function tensorSpec(name: string, shape: ReadonlyArray<number | null> | undefined, dtype: string | undefined): TensorSpec {
  const datatype = DATATYPE_OF_DTYPE[dtype ?? 'float32'];
  if (!datatype || !DATATYPES.includes(datatype)) throw new InvalidModelError(`"${name}" has tfjs dtype ${dtype}, which KServe V2 cannot carry`);
  return { name, datatype, shape: (shape ?? []).map((dimension) => (dimension === null || dimension < 0 ? -1 : dimension)) };
}
