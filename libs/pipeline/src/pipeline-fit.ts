import { describeIssues } from '@maas/errors';
import { ModelSignature, TensorSpec } from '@maas/tensor';
import { InvalidPipelineError } from './pipeline-errors';
import { channelAxis, channelCount } from './tensor-axes';
import { ImageStep, Pipeline, pipelineSchema, Postprocess, PreprocessStep } from './pipeline-schema';

const NON_NUMERIC = new Set(['BYTES', 'BOOL']);

/**
 * A pipeline from a request body, checked for form (zod) and against the version's signature: inputs
 * and outputs exist, an image step fits the input's shape, per-channel statistics have one value per
 * channel, labels one per class. Every problem is reported at once.
 */
export function parsePipeline(body: unknown, signature: ModelSignature): Pipeline {
  const parsed = pipelineSchema.safeParse(body);
  if (!parsed.success) throw new InvalidPipelineError(describeIssues(parsed.error.issues, 'pipeline'));
  const problems = [...Object.entries(parsed.data.preprocess).flatMap(([input, steps]) => inputProblems(input, steps, signature)), ...postprocessProblems(parsed.data.postprocess, signature)];
  if (problems.length) throw new InvalidPipelineError(problems);
  return parsed.data;
}

function inputProblems(input: string, steps: PreprocessStep[], signature: ModelSignature): string[] {
  const spec = signature.inputs.find((candidate) => candidate.name === input);
  if (!spec) return [`preprocess."${input}": the model has no such input (its inputs: ${names(signature.inputs)})`];
  if (NON_NUMERIC.has(spec.datatype)) return [`preprocess."${input}": the input is ${spec.datatype}; preprocessing makes numbers`];
  const at = (index: number) => `preprocess."${input}"[${index}]`;
  const image = 'image' in steps[0] ? steps[0].image : undefined;
  const problems = steps.flatMap((step, index) => {
    if ('image' in step) return index === 0 ? imageProblems(at(index), step.image, spec) : [`${at(index)}: image must be the first step (it turns bytes into pixels)`];
    if ('normalize' in step) return [...channelProblems(`${at(index)}.normalize.mean`, step.normalize.mean, spec, image), ...channelProblems(`${at(index)}.normalize.std`, step.normalize.std, spec, image), ...positive(`${at(index)}.normalize.std`, step.normalize.std)];
    if ('l2' in step) return step.l2.axis < -spec.shape.length || step.l2.axis >= spec.shape.length ? [`${at(index)}.l2.axis: ${step.l2.axis} is outside the input's ${spec.shape.length} axes`] : [];
    if ('cast' in step) return step.cast === spec.datatype ? [] : [`${at(index)}.cast: the input takes ${spec.datatype}, not ${step.cast}`];
    return [];
  });
  return problems;
}

function imageProblems(at: string, image: ImageStep, spec: TensorSpec): string[] {
  if (spec.shape.length !== 4) return [`${at}: an image input has 4 axes (${image.layout}), the model's "${spec.name}" has shape [${spec.shape.join(',')}]`];
  const expected = image.layout === 'NHWC' ? [image.height, image.width, image.channels] : [image.channels, image.height, image.width];
  const axes = image.layout === 'NHWC' ? ['height', 'width', 'channels'] : ['channels', 'height', 'width'];
  const problems = expected.flatMap((size, index) => {
    const dimension = spec.shape[index + 1];
    return dimension === -1 || dimension === size ? [] : [`${at}: ${axes[index]} ${size} does not fit the model's input [${spec.shape.join(',')}] (${image.layout})`];
  });
  return [...problems, ...channelProblems(`${at}.mean`, image.mean, spec, image), ...channelProblems(`${at}.std`, image.std, spec, image), ...positive(`${at}.std`, image.std)];
}

function channelProblems(at: string, values: number | number[] | undefined, spec: TensorSpec, image: ImageStep | undefined): string[] {
  if (!Array.isArray(values) || values.length === 1) return [];
  const channels = channelCount(spec, image);
  if (channels === undefined || channels === values.length) return [];
  return [`${at}: ${values.length} values, but input "${spec.name}" has ${channels} ${image ? 'channels' : 'features'} on axis ${channelAxis(spec.shape.length, image)}`];
}

function positive(at: string, values: number | number[] | undefined): string[] {
  if (values === undefined) return [];
  return [values].flat().some((value) => value <= 0) ? [`${at}: every standard deviation must be above 0`] : [];
}

function postprocessProblems(postprocess: Postprocess | undefined, signature: ModelSignature): string[] {
  if (!postprocess) return [];
  const spec = postprocess.output ? signature.outputs.find((candidate) => candidate.name === postprocess.output) : signature.outputs[0];
  if (!spec) return [postprocess.output ? `postprocess.output: the model has no output "${postprocess.output}" (its outputs: ${names(signature.outputs)})` : 'postprocess: the model has no outputs'];
  if (spec.datatype === 'BYTES') return [`postprocess: output "${spec.name}" is BYTES; post-processing needs numbers`];
  const classes = spec.shape.length ? spec.shape[spec.shape.length - 1] : 1;
  const problems: string[] = [];
  if (postprocess.softmax && postprocess.sigmoid) problems.push('postprocess: softmax and sigmoid exclude each other');
  if (postprocess.labels && classes !== -1 && postprocess.labels.length !== classes) problems.push(`postprocess.labels: ${postprocess.labels.length} labels, but output "${spec.name}" has ${classes} classes`);
  const width = postprocess.labels?.length ?? classes;
  if (postprocess.topk && width !== -1 && postprocess.topk > width) problems.push(`postprocess.topk: ${postprocess.topk} is more than the ${width} classes`);
  return problems;
}

function names(specs: TensorSpec[]): string {
  return specs.map((spec) => `"${spec.name}"`).join(', ') || 'none';
}
