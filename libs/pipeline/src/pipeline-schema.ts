import { z } from 'zod';
import { DATATYPES, type Datatype } from '@maas/tensor';

type NumericDatatype = Exclude<Datatype, 'BYTES' | 'BOOL'>;
const NUMERIC_DATATYPES = DATATYPES.filter((datatype) => datatype !== 'BYTES' && datatype !== 'BOOL') as [NumericDatatype, ...NumericDatatype[]];

const perChannel = z.union([z.number().finite(), z.array(z.number().finite()).min(1)]);

/** Decodes PNG/JPEG/WebP bytes and resizes them to the model's input (sharp, off the main thread). */
export const imageStepSchema = z.strictObject({
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  channels: z.union([z.literal(1), z.literal(3), z.literal(4)]).default(3),
  layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
  /** As sharp's resize: cover crops, contain letterboxes (black), fill stretches, inside/outside keep the aspect ratio. */
  fit: z.enum(['cover', 'contain', 'fill', 'inside', 'outside']).default('cover'),
  /** Per channel, on 0–255 pixel values: (pixel − mean) / std. */
  mean: perChannel.optional(),
  std: perChannel.optional(),
});

/** One preprocessing step: an object with exactly one key, applied in the order given. */
export const preprocessStepSchema = z.union([
  z.strictObject({ image: imageStepSchema }),
  z.strictObject({ scale: z.number().finite() }),
  z.strictObject({ normalize: z.strictObject({ mean: perChannel, std: perChannel }) }),
  z.strictObject({ l2: z.strictObject({ axis: z.number().int().default(-1) }) }),
  z.strictObject({ cast: z.enum(NUMERIC_DATATYPES) }),
]);

/** What turns one output into predictions; the same fields a predict request may override. */
export const postprocessSchema = z.strictObject({
  output: z.string().min(1).optional(),
  softmax: z.boolean().optional(),
  sigmoid: z.boolean().optional(),
  argmax: z.boolean().optional(),
  topk: z.number().int().min(1).max(1000).optional(),
  labels: z.array(z.string().min(1).max(200)).min(1).max(100_000).optional(),
  /** Multi-label: every class whose score reaches it. */
  threshold: z.number().finite().optional(),
});

export const pipelineSchema = z.strictObject({
  /** Input name → its steps. */
  preprocess: z.record(z.string().min(1), z.array(preprocessStepSchema).min(1).max(16)).default({}),
  postprocess: postprocessSchema.optional(),
});

export type ImageStep = z.output<typeof imageStepSchema>;
export type PreprocessStep = z.output<typeof preprocessStepSchema>;
export type Postprocess = z.output<typeof postprocessSchema>;
export type Pipeline = z.output<typeof pipelineSchema>;

/** A postprocess makes a classifier: its predictions are labels with scores. Without one, a regressor's values. */
export function isClassifier(postprocess: Postprocess | undefined): boolean {
  if (!postprocess) return false;
  return Boolean(postprocess.softmax || postprocess.sigmoid || postprocess.argmax || postprocess.topk || postprocess.labels || postprocess.threshold !== undefined);
}
