import type { TrainingJob } from '@maas/db';
import type { TrainingPlan } from '../training/training-spec';
import type { EpochMetrics } from '../training/training-protocol';

/** What a job row's `spec` holds: the request as given, the plan it resolved to, the layers built. */
export interface StoredSpec {
  plan: TrainingPlan;
  layers: unknown[];
}

/** The job row's spec, as the API wrote it. */
export function specOf(job: Pick<TrainingJob, 'spec'>): StoredSpec {
  return job.spec as unknown as StoredSpec;
}

/** The job as the API shows it (OpenAI's fine-tuning job object, adapted). */
export function jobView(job: TrainingJob & { model?: { name: string } | null; dataset?: { name: string } | null; resultVersion?: { number: number } | null }) {
  const spec = specOf(job);
  const progress = job.progress as { fraction?: number; epoch?: number; batch?: number };
  const history = job.metrics as unknown as EpochMetrics[];
  const { request } = spec.plan;
  return {
    id: job.id,
    status: job.status.toLowerCase(),
    model: job.model?.name ?? request.model,
    dataset: job.dataset?.name ?? null,
    task: request.task,
    hyperparameters: { optimizer: request.optimizer, learningRate: request.learningRate, epochs: request.epochs, batchSize: request.batchSize, loss: spec.plan.loss, seed: request.seed ?? null, validationSplit: spec.plan.validationSplit },
    createdAt: job.queuedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    estimatedFinish: estimatedFinish(job, progress.fraction),
    progress: progress.fraction ?? 0,
    epoch: progress.epoch ?? 0,
    metrics: history.length > 0 ? history[history.length - 1] : null,
    resultVersion: job.resultVersion?.number ?? null,
    backend: job.backend,
    error: job.error ? { code: job.errorCode ?? 'TRAINING_FAILED', message: job.error } : null,
    attempts: job.attempts,
  };
}

function estimatedFinish(job: TrainingJob, fraction: number | undefined): string | null {
  if (job.status !== 'RUNNING' || !job.startedAt || !fraction || fraction <= 0) return null;
  const elapsed = Date.now() - job.startedAt.getTime();
  return new Date(job.startedAt.getTime() + elapsed / fraction).toISOString();
}
