import type { NamedVersionJob } from './version-jobs.repository';

/** What every job about a version shows: its status, progress, error and times. */
export function versionJobView(job: NamedVersionJob, fallback: { model: string; versionNumber: number }) {
  return {
    id: job.id,
    status: job.status.toLowerCase(),
    model: job.model?.name ?? fallback.model,
    version: job.version?.number ?? fallback.versionNumber,
    progress: (job.progress as { fraction?: number }).fraction ?? 0,
    error: job.error ? { code: job.errorCode ?? `${job.kind}_FAILED`, message: job.error } : null,
    attempts: job.attempts,
    createdAt: job.queuedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
