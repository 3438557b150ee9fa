import type { Pipeline } from '@maas/pipeline';
import type { TrainingPlan } from './training-spec';
import type { LayerSpec } from './training-spec';

/** Classes ranked in a trained classifier's predictions. */
const RANKED_CLASSES = 5;

/**
 * The pipeline a trained version gets: the normalisation it was trained with is inside the model
 * already, so it takes raw features; a classifier's predictions name the dataset's classes (with a
 * softmax only when its output layer gives logits); a regressor answers its values.
 */
export function trainedPipeline(plan: TrainingPlan, layers: readonly LayerSpec[]): Pipeline | undefined {
  if (!plan.classes) return undefined;
  const output = layers[layers.length - 1];
  const givesLogits = output?.type === 'dense' && output.activation !== undefined && !['softmax', 'sigmoid'].includes(output.activation);
  return { preprocess: {}, postprocess: { labels: plan.classes, topk: Math.min(RANKED_CLASSES, plan.classes.length), ...(givesLogits ? { softmax: true } : {}) } };
}
