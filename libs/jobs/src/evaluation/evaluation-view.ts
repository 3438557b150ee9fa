import type { EvaluationPlan } from './evaluation-plan';
import type { NamedEvaluation } from './evaluations.repository';

/** An evaluation as the API shows it: a job (status, progress, error) whose result is its metrics. */
export function evaluationView(job: NamedEvaluation) {
  const plan = job.spec as unknown as EvaluationPlan;
  return {
    id: job.id,
    status: job.status.toLowerCase(),
    model: job.model?.name ?? plan.model,
    version: job.version?.number ?? plan.versionNumber,
    dataset: job.dataset?.name ?? plan.datasetName,
    task: plan.task,
    split: plan.request.split,
    progress: (job.progress as { fraction?: number }).fraction ?? 0,
    metrics: job.result ?? null,
    error: job.error ? { code: job.errorCode ?? 'EVALUATION_FAILED', message: job.error } : null,
    attempts: job.attempts,
    createdAt: job.queuedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
