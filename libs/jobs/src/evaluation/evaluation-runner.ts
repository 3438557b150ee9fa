import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import type { Pipeline } from '@maas/pipeline';
import { ArtifactStore } from '@maas/storage';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { FinalJobFailure, VersionJobLifecycle } from '../jobs/version-job-lifecycle';
import { VersionJobsRepository } from '../jobs/version-jobs.repository';
import type { EvaluationPlan } from './evaluation-plan';
import { runEvaluation, type EvaluationMetrics } from './evaluation-run';

/** The queue side of an evaluation: runs the version over the dataset and stores the metrics as the job's result. */
@Injectable()
export class EvaluationRunner {
  constructor(
    private readonly jobs: VersionJobsRepository,
    private readonly lifecycle: VersionJobLifecycle,
    private readonly datasets: DatasetsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly config: AppConfig,
  ) {}

  async run(tenantId: string, jobId: string, isLastAttempt: boolean): Promise<void> {
    const job = await this.jobs.find(tenantId, 'EVALUATION', jobId);
    if (!job || !['QUEUED', 'RUNNING'].includes(job.status)) return;
    const plan = job.spec as unknown as EvaluationPlan;
    const what = `evaluating version ${plan.versionNumber} of "${plan.model}" on dataset "${plan.datasetName}" (${plan.request.split === 'validation' ? 'the rows its training held out' : 'every row'}, ${plan.task})`;
    await this.lifecycle.run(job, what, isLastAttempt, async () => {
      const version = await this.jobs.versionOf(job);
      const dataset = await this.datasets.find(tenantId, plan.datasetId);
      if (!version?.artifactId) throw new FinalJobFailure(`version ${plan.versionNumber} is gone`, 'VERSION_GONE');
      if (!dataset?.artifactId) throw new FinalJobFailure(`dataset "${plan.datasetName}" is gone`, 'DATASET_GONE');
      const metrics = await runEvaluation({
        plan,
        pipeline: version.pipeline as Pipeline | null,
        format: version.runtime === 'ONNX' ? 'onnx' : 'tfjs',
        model: await this.artifacts.openChunks(tenantId, version.artifactId),
        dataset: await this.artifacts.readAll(tenantId, dataset.artifactId),
        device: this.config.device,
        threads: this.config.threadsPerWorker,
        onProgress: (fraction) => this.lifecycle.progress(job, fraction),
      });
      return { result: metrics, summary: `evaluated ${metrics.examples} examples: ${summary(metrics)}` };
    });
  }
}

function summary(metrics: EvaluationMetrics): string {
  if (metrics.task === 'classification') return `accuracy ${metrics.accuracy.toFixed(4)}, macro F1 ${metrics.macro.f1.toFixed(4)}, log-loss ${metrics.logLoss.toFixed(4)}`;
  return `MSE ${metrics.mse.toFixed(4)}, MAE ${metrics.mae.toFixed(4)}, R² ${metrics.r2 === null ? 'undefined' : metrics.r2.toFixed(4)}`;
}
