import { BIGINT_RANGE, decodeJsonData, nestedShape, FixedWidthDatatype, float32ArrayToFp16, INTEGER_RANGE, InvalidTensorError, Tensor, TensorData, TensorSpec } from '@maas/tensor';
import { ChannelLinear, resizedPixels, toLayout } from './image-decoding';
import { PreprocessingError } from './pipeline-errors';
import { ImageStep, PreprocessStep } from './pipeline-schema';
import { channelAxis, perChannel } from './tensor-axes';

/** What a step cost, for the Server-Timing header and the benchmark. */
export interface StepTiming {
  step: string;
  ms: number;
}

interface Values {
  data: Float64Array | Float32Array;
  shape: number[];
}

/**
 * One input through its steps: image bytes (base64 text, a data: URL, or raw bytes from a multipart
 * part; one image or a list) or a nested array of numbers, then scale / normalize / l2 / cast in the
 * order given, ending as a tensor of the input's datatype.
 */
export async function preprocessInput(spec: TensorSpec, value: unknown, steps: readonly PreprocessStep[], timings: StepTiming[] = []): Promise<Tensor> {
  const image = steps.length && 'image' in steps[0] ? steps[0].image : undefined;
  if (!image) return applySteps(spec, timed(timings, 'decode', () => numbersOf(spec.name, value)), steps, undefined, timings);
  const { linear, folded } = foldIntoImage(image, steps.slice(1));
  const values = await decodeImages(spec.name, value, image, linear, ['tensor', ...steps.slice(1, 1 + folded).map((step) => Object.keys(step)[0])].join('+'), timings);
  return applySteps(spec, values, steps.slice(1 + folded), image, timings);
}

/**
 * The scale and normalize steps right after an image step, folded with its own mean/std into one
 * per-channel pixel × a + b, applied while the pixels become floats: one pass over them, not three.
 */
function foldIntoImage(image: ImageStep, following: readonly PreprocessStep[]): { linear: ChannelLinear; folded: number } {
  const channels = image.channels;
  const mean = perChannel(image.mean, channels, 0);
  const std = perChannel(image.std, channels, 1);
  const a = std.map((deviation) => 1 / deviation);
  const b = mean.map((value, channel) => -value * a[channel]);
  let folded = 0;
  for (const step of following) {
    if ('scale' in step) {
      for (let channel = 0; channel < channels; channel++) [a[channel], b[channel]] = [a[channel] * step.scale, b[channel] * step.scale];
    } else if ('normalize' in step) {
      const means = perChannel(step.normalize.mean, channels, 0);
      const stds = perChannel(step.normalize.std, channels, 1);
      for (let channel = 0; channel < channels; channel++) [a[channel], b[channel]] = [a[channel] / stds[channel], (b[channel] - means[channel]) / stds[channel]];
    } else break;
    folded++;
  }
  return { linear: { a, b }, folded };
}

/** Numbers already in memory (a dataset's features, row-major) through an input's numeric steps. */
export function preprocessNumbers(spec: TensorSpec, data: Float32Array | Float64Array, shape: number[], steps: readonly PreprocessStep[]): Tensor {
  if (steps.some((step) => 'image' in step)) throw new PreprocessingError(spec.name, 'image', 'the values are numbers, not image bytes');
  return applySteps(spec, { data, shape }, steps, undefined, []);
}

function applySteps(spec: TensorSpec, initial: Values, steps: readonly PreprocessStep[], image: ImageStep | undefined, timings: StepTiming[]): Tensor {
  let values = initial;
  let cast: FixedWidthDatatype | undefined;
  for (const step of steps) {
    const name = Object.keys(step)[0];
    if ('cast' in step) cast = step.cast;
    else values = timed(timings, name, () => applyStep(spec.name, step, values, image));
  }
  return { name: spec.name, datatype: spec.datatype, shape: values.shape, data: toDatatype(spec, values, cast) };
}

function applyStep(input: string, step: PreprocessStep, values: Values, image: ImageStep | undefined): Values {
  if ('scale' in step) return { ...values, data: values.data.map((value) => value * step.scale) };
  if ('normalize' in step) return normalize(input, values, step.normalize, channelAxis(values.shape.length, image));
  if ('l2' in step) return l2Normalize(input, values, step.l2.axis);
  return values;
}

/** Timed as two steps: "image" (decoding and resizing, in libvips' threads) and `conversion` (the float pass here, with the folded steps). */
async function decodeImages(input: string, value: unknown, image: ImageStep, linear: ChannelLinear, conversion: string, timings: StepTiming[]): Promise<Values> {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new PreprocessingError(input, 'image', 'no image was sent');
  const resized = await timed(timings, 'image', () => Promise.all(items.map((item, index) => resizedPixels(items.length > 1 ? `${input}[${index}]` : input, imageBytes(input, item), image))));
  const size = image.width * image.height * image.channels;
  const data = timed(timings, conversion, () => {
    const stacked = new Float32Array(size * resized.length);
    resized.forEach((pixels, index) => toLayout(pixels, image, linear, stacked.subarray(index * size, (index + 1) * size)));
    return stacked;
  });
  const dims = image.layout === 'NHWC' ? [image.height, image.width, image.channels] : [image.channels, image.height, image.width];
  return { data, shape: [resized.length, ...dims] };
}

function imageBytes(input: string, item: unknown): Buffer {
  if (Buffer.isBuffer(item)) return item;
  if (typeof item !== 'string' || item.length === 0) throw new PreprocessingError(input, 'image', 'send the image as base64 text (or a data: URL), or as a multipart file part (a tensor already pre-processed goes to /v2/models/{model}/infer, which applies no pipeline)');
  const base64 = item.startsWith('data:') ? item.slice(item.indexOf(',') + 1) : item;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64.replace(/\s/g, ''))) throw new PreprocessingError(input, 'image', 'the value is not base64 text');
  return Buffer.from(base64, 'base64');
}

function numbersOf(input: string, value: unknown): Values {
  if (!Array.isArray(value)) throw new PreprocessingError(input, 'decode', 'send a nested array of numbers');
  const shape = nestedShape(value);
  return { data: decodeJsonData(input, 'FP64', shape, value) as Float64Array, shape };
}

function normalize(input: string, values: Values, { mean, std }: { mean: number | number[]; std: number | number[] }, axis: number): Values {
  const size = values.shape[axis];
  const stride = values.shape.slice(axis + 1).reduce((product, dimension) => product * dimension, 1);
  for (const statistic of [mean, std]) {
    if (Array.isArray(statistic) && statistic.length > 1 && statistic.length !== size) throw new PreprocessingError(input, 'normalize', `${statistic.length} means/stds for ${size} values along axis ${axis} (shape [${values.shape.join(',')}])`);
  }
  const means = perChannel(mean, size, 0);
  const scales = perChannel(std, size, 1).map((deviation) => 1 / deviation);
  const data = new Float32Array(values.data.length);
  // Walks the channel index along instead of dividing per element: this runs on the event loop.
  for (let index = 0, channel = 0, run = 0; index < data.length; index++) {
    data[index] = (values.data[index] - means[channel]) * scales[channel];
    if (++run === stride) {
      run = 0;
      if (++channel === size) channel = 0;
    }
  }
  return { ...values, data };
}

function l2Normalize(input: string, values: Values, axis: number): Values {
  const rank = values.shape.length;
  const along = axis < 0 ? rank + axis : axis;
  if (along < 0 || along >= rank) throw new PreprocessingError(input, 'l2', `axis ${axis} is outside the value's ${rank} axes`);
  const size = values.shape[along];
  const stride = values.shape.slice(along + 1).reduce((product, dimension) => product * dimension, 1);
  const data = values.data.slice();
  for (let outer = 0; outer < data.length; outer += size * stride) {
    for (let inner = 0; inner < stride; inner++) {
      let sumOfSquares = 0;
      for (let k = 0; k < size; k++) sumOfSquares += data[outer + k * stride + inner] ** 2;
      const norm = Math.sqrt(sumOfSquares) || 1;
      for (let k = 0; k < size; k++) data[outer + k * stride + inner] /= norm;
    }
  }
  return { ...values, data };
}

/** The values in the input's datatype; integers must be whole unless a cast step rounds (and clamps) them. */
function toDatatype(spec: TensorSpec, { data, shape }: Values, cast: FixedWidthDatatype | undefined): TensorData {
  if (spec.datatype === 'FP32') return data instanceof Float32Array ? data : Float32Array.from(data);
  if (spec.datatype === 'FP64') return Float64Array.from(data);
  if (spec.datatype === 'FP16') return float32ArrayToFp16(data);
  const range = INTEGER_RANGE[spec.datatype as FixedWidthDatatype] ?? BIGINT_RANGE[spec.datatype as FixedWidthDatatype]!;
  const [low, high] = [Number(range[0]), Number(range[1])];
  const rounded = cast ? Array.from(data, (value) => Math.min(high, Math.max(low, Math.round(value)))) : Array.from(data);
  try {
    return decodeJsonData(spec.name, spec.datatype, shape, rounded);
  } catch (error) {
    if (!(error instanceof InvalidTensorError)) throw error;
    throw new PreprocessingError(spec.name, 'cast', `${error.message}; add {"cast": "${spec.datatype}"} as the last step to round and clamp`);
  }
}

function timed<T>(timings: StepTiming[], step: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  if (result instanceof Promise) return result.finally(() => timings.push({ step, ms: performance.now() - started })) as T;
  timings.push({ step, ms: performance.now() - started });
  return result;
}
