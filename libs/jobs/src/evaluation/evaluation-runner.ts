import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { Prisma, PrismaService } from '@maas/db';
import { DomainError } from '@maas/errors';
import type { Pipeline } from '@maas/pipeline';
import { ArtifactStore } from '@maas/storage';
import { UsageRecorder } from '@maas/usage';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { TrainingEvents } from '../jobs/training-events';
import { FinalTrainingFailure } from '../jobs/training-runner';
import { TrainingJobsRepository } from '../jobs/training-jobs.repository';
import type { EvaluationPlan } from './evaluation-plan';
import { runEvaluation, type EvaluationMetrics } from './evaluation-run';
import { EvaluationsRepository, type NamedEvaluation } from './evaluations.repository';

/**
 * The queue side of an evaluation: marks it running, runs the version over the dataset, stores the
 * metrics and says so in the job's events. Re-running it (BullMQ is at-least-once) only computes the
 * same metrics again. A request that cannot be evaluated (labels that do not fit, a broken dataset)
 * fails at once; anything else is retried.
 */
@Injectable()
export class EvaluationRunner {
  private readonly logger = new Logger('Evaluations');

  constructor(
    private readonly evaluations: EvaluationsRepository,
    private readonly jobs: TrainingJobsRepository,
    private readonly events: TrainingEvents,
    private readonly datasets: DatasetsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly usage: UsageRecorder,
  ) {}

  async run(tenantId: string, jobId: string, isLastAttempt: boolean): Promise<void> {
    const job = await this.evaluations.find(tenantId, jobId);
    if (!job || !['QUEUED', 'RUNNING'].includes(job.status)) return;
    await this.jobs.transition(tenantId, jobId, ['QUEUED', 'RUNNING'], { status: 'RUNNING', startedAt: job.startedAt ?? new Date(), attempts: { increment: 1 } });
    const plan = job.spec as unknown as EvaluationPlan;
    await this.events.append(tenantId, jobId, 'info', 'message', `attempt ${job.attempts + 1}: evaluating version ${plan.versionNumber} of "${plan.model}" on dataset "${plan.datasetName}" (${plan.request.split === 'validation' ? 'the rows its training held out' : 'every row'}, ${plan.task})`);
    const startedAt = Date.now();
    try {
      const metrics = await this.evaluate(job, plan);
      await this.jobs.transition(tenantId, jobId, ['RUNNING'], { status: 'SUCCEEDED', finishedAt: new Date(), result: metrics as unknown as Prisma.InputJsonValue, progress: { fraction: 1 } });
      await this.events.append(tenantId, jobId, 'info', 'metrics', `evaluated ${metrics.examples} examples: ${summary(metrics)}`, metrics as unknown as Record<string, unknown>);
    } catch (error) {
      await this.failed(job, error, isLastAttempt);
    } finally {
      this.usage.record({ tenantId, apiKeyId: job.createdByKeyId ?? undefined, modelId: job.modelId, versionNumber: plan.versionNumber, items: 0, bytesIn: 0, bytesOut: 0, latencyMs: 0, outcome: 'ok', at: Date.now(), trainingSeconds: (Date.now() - startedAt) / 1000 });
    }
  }

  private async evaluate(job: NamedEvaluation, plan: EvaluationPlan): Promise<EvaluationMetrics> {
    const version = await this.prisma.modelVersion.findFirst({ where: { tenantId: job.tenantId, id: job.versionId! } });
    const dataset = await this.datasets.find(job.tenantId, plan.datasetId);
    if (!version?.artifactId) throw new FinalTrainingFailure(`version ${plan.versionNumber} is gone`);
    if (!dataset?.artifactId) throw new FinalTrainingFailure(`dataset "${plan.datasetName}" is gone`);
    return runEvaluation({
      plan,
      pipeline: version.pipeline as Pipeline | null,
      format: version.runtime === 'ONNX' ? 'onnx' : 'tfjs',
      model: await this.artifacts.openChunks(job.tenantId, version.artifactId),
      dataset: await this.artifacts.readAll(job.tenantId, dataset.artifactId),
      device: this.config.device,
      threads: this.config.threadsPerWorker,
      onProgress: (fraction) => this.jobs.recordProgress(job.tenantId, job.id, { fraction, epoch: 0 }),
    });
  }

  private async failed(job: NamedEvaluation, error: unknown, isLastAttempt: boolean): Promise<never> {
    const message = (error as Error).message;
    const final = error instanceof FinalTrainingFailure || (error instanceof DomainError && error.kind === 'invalid');
    if (final || isLastAttempt) {
      await this.jobs.transition(job.tenantId, job.id, ['QUEUED', 'RUNNING'], { status: 'FAILED', finishedAt: new Date(), error: message, errorCode: final ? 'INVALID_EVALUATION' : 'EVALUATION_FAILED' });
      await this.events.append(job.tenantId, job.id, 'error', 'message', `failed: ${message}`);
      throw new FinalTrainingFailure(message);
    }
    this.logger.warn(`evaluation ${job.id} attempt ${job.attempts + 1} failed: ${message}`);
    await this.events.append(job.tenantId, job.id, 'warn', 'message', `attempt ${job.attempts + 1} failed: ${message}; it will be retried`);
    throw error;
  }
}

function summary(metrics: EvaluationMetrics): string {
  if (metrics.task === 'classification') return `accuracy ${metrics.accuracy.toFixed(4)}, macro F1 ${metrics.macro.f1.toFixed(4)}, log-loss ${metrics.logLoss.toFixed(4)}`;
  return `MSE ${metrics.mse.toFixed(4)}, MAE ${metrics.mae.toFixed(4)}, R² ${metrics.r2 === null ? 'undefined' : metrics.r2.toFixed(4)}`;
}
