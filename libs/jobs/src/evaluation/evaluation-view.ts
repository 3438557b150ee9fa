import type { NamedVersionJob } from '../jobs/version-jobs.repository';
import { versionJobView } from '../jobs/version-job-view';
import type { EvaluationPlan } from './evaluation-plan';

/** An evaluation as the API shows it: a job (status, progress, error) whose result is its metrics. */
export function evaluationView(job: NamedVersionJob) {
  const plan = job.spec as unknown as EvaluationPlan;
  return {
    ...versionJobView(job, plan),
    dataset: job.dataset?.name ?? plan.datasetName,
    task: plan.task,
    split: plan.request.split,
    metrics: job.result ?? null,
  };
}
