import type { NamedVersionJob } from '../jobs/version-jobs.repository';
import { versionJobView } from '../jobs/version-job-view';
import type { CompressionPlan } from './compression-plan';

/** A compression as the API shows it: a job whose result is its report (and the version it made). */
export function compressionView(job: NamedVersionJob) {
  const plan = job.spec as unknown as CompressionPlan;
  return {
    ...versionJobView(job, plan),
    method: plan.request.method,
    tolerance: plan.request.tolerance,
    report: job.result ?? null,
    resultVersion: job.resultVersion?.number ?? null,
  };
}
