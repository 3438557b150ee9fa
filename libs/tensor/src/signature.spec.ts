import { describe, expect, it } from 'vitest';
import { ModelSignature, validateInputs, validateRequestedOutputs } from './signature';
import { Tensor } from './tensor';

const signature: ModelSignature = {
  inputs: [
    { name: 'x', datatype: 'FP32', shape: [-1, 4] },
    { name: 'mask', datatype: 'BOOL', shape: [-1] },
  ],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 10] }],
};

const x = (shape: number[], datatype: Tensor['datatype'] = 'FP32'): Tensor => ({ name: 'x', datatype, shape, data: new Float32Array(0) });
const mask: Tensor = { name: 'mask', datatype: 'BOOL', shape: [2], data: new Uint8Array(2) };

describe('validateInputs', () => {
  it('accepts inputs that fit, whatever the variable dimension', () => {
    expect(() => validateInputs([x([2, 4]), mask], signature)).not.toThrow();
    expect(() => validateInputs([mask, x([17, 4])], signature)).not.toThrow();
  });

  it.each([
    [[x([2, 4]), mask, { ...mask, name: 'extra' }], 'unexpected input "extra": the model\'s inputs are "x", "mask"'],
    [[x([2, 4]), mask, mask], 'input "mask" appears more than once'],
    [[x([2, 4])], 'missing input "mask" (BOOL, shape [-1])'],
    [[x([2, 4], 'FP64'), mask], 'input "x" has datatype FP64, expected FP32'],
    [[x([8]), mask], 'input "x" has shape [8], expected [-1,4] (rank 2)'],
    [[x([2, 3]), mask], 'input "x" has shape [2,3], expected [-1,4]: dimension 1 is 3, expected 4'],
  ])('rejects %#', (inputs, message) => {
    expect(() => validateInputs(inputs as Tensor[], signature)).toThrow(message);
  });
});

describe('validateRequestedOutputs', () => {
  it('accepts known outputs and no outputs', () => {
    expect(() => validateRequestedOutputs([{ name: 'y' }], signature)).not.toThrow();
    expect(() => validateRequestedOutputs(undefined, signature)).not.toThrow();
  });

  it('rejects an unknown output, listing the real ones', () => {
    expect(() => validateRequestedOutputs([{ name: 'z' }], signature)).toThrow('unknown output "z": the model\'s outputs are "y"');
  });
});
