import { classificationCount } from './classification';
import { Datatype } from './datatypes';
import { RequestedOutput } from './protocol';
import { Tensor } from './tensor';
import { InvalidTensorError } from './tensor-errors';

/** One input or output of a model; -1 marks a variable dimension (the batch dimension, usually). */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

const VARIABLE = -1;

/** Checks a request's inputs against the model: every input present once, right datatype and shape. */
export function validateInputs(inputs: readonly Tensor[], signature: ModelSignature): void {
  const specs = new Map(signature.inputs.map((spec) => [spec.name, spec]));
  const seen = new Set<string>();
  for (const input of inputs) {
    const spec = specs.get(input.name);
    if (!spec) throw new InvalidTensorError(`unexpected input "${input.name}": the model's inputs are ${listNames(signature.inputs)}`);
    if (seen.has(input.name)) throw new InvalidTensorError(`input "${input.name}" appears more than once`);
    seen.add(input.name);
    checkTensorAgainstSpec(input, spec);
  }
  const missing = signature.inputs.filter((spec) => !seen.has(spec.name));
  if (missing.length === 0) return;
  const described = missing.map((spec) => `"${spec.name}" (${spec.datatype}, shape ${formatShape(spec.shape)})`).join(', ');
  throw new InvalidTensorError(inputs.length === 0 ? `the model needs inputs: ${described}` : `missing input${missing.length > 1 ? 's' : ''} ${described}`);
}

/** Requested outputs must exist in the model (and ask for a sensible classification, if any). */
export function validateRequestedOutputs(outputs: readonly RequestedOutput[] | undefined, signature: ModelSignature): void {
  for (const output of outputs ?? []) {
    classificationCount(output);
    if (!signature.outputs.some((spec) => spec.name === output.name)) {
      throw new InvalidTensorError(`unknown output "${output.name}": the model's outputs are ${listNames(signature.outputs)}`);
    }
  }
}

function checkTensorAgainstSpec(input: Tensor, spec: TensorSpec): void {
  if (input.datatype !== spec.datatype) throw new InvalidTensorError(`input "${input.name}" has datatype ${input.datatype}, expected ${spec.datatype}`);
  // The message is built only on failure: this runs on every inference request.
  const expectation = () => `input "${input.name}" has shape ${formatShape(input.shape)}, expected ${formatShape(spec.shape)}`;
  if (input.shape.length !== spec.shape.length) throw new InvalidTensorError(`${expectation()} (rank ${spec.shape.length})`);
  spec.shape.forEach((dimension, axis) => {
    if (dimension !== VARIABLE && dimension !== input.shape[axis]) {
      throw new InvalidTensorError(`${expectation()}: dimension ${axis} is ${input.shape[axis]}, expected ${dimension}`);
    }
  });
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function listNames(specs: readonly TensorSpec[]): string {
  return specs.map((spec) => `"${spec.name}"`).join(', ');
}
