import { z } from 'zod';

export const evaluationRequestSchema = z.strictObject({
  /** A dataset of this tenant, by name or id. */
  dataset: z.string().min(1),
  /** The label column the dataset was uploaded with (the default). */
  labelColumn: z.string().min(1).optional(),
  /** `validation`: only the rows the version's training job held out (same seed and split), so the model is scored on data it did not see. */
  split: z.enum(['all', 'validation']).default('all'),
  /** Default: the version's own task (trained versions), else classification when it has a classifier's postprocess or several outputs per row. */
  task: z.enum(['classification', 'regression']).optional(),
});

export type EvaluationRequest = z.output<typeof evaluationRequestSchema>;
