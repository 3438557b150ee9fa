import { Injectable } from '@nestjs/common';
import { Prisma } from '@maas/db';
import { AuditLog, Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { DatasetNotFoundError } from '../datasets/dataset-errors';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { TrainingQueue } from '../queue/training-queue';
import { QueueUnavailableError } from '../training/training-errors';
import { EvaluationNotFoundError, InvalidEvaluationError } from './evaluation-errors';
import { planEvaluation } from './evaluation-plan';
import { evaluationRequestSchema, type EvaluationRequest } from './evaluation-request';
import { evaluationView } from './evaluation-view';
import { VersionJobsRepository, type NamedVersionJob } from '../jobs/version-jobs.repository';
import type { EvaluationMetrics } from './evaluation-run';

/**
 * Evaluations as MLflow's `evaluate` gives them: a version scored on a labelled dataset, queued on
 * the training queue (status, progress and events like any job), and versions lined up on one dataset.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly evaluations: VersionJobsRepository,
    private readonly datasets: DatasetsRepository,
    private readonly registry: ModelRegistry,
    private readonly queue: TrainingQueue,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, modelName: string, reference: string, body: unknown) {
    const { tenantId } = principal;
    const request = parseRequest(body);
    const { model, version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    const dataset = await this.datasets.find(tenantId, request.dataset);
    if (!dataset) throw new DatasetNotFoundError(request.dataset);
    const plan = planEvaluation({ request, model: model.name, version, dataset, trainedBy: await this.evaluations.trainingJobOf(tenantId, version) });
    const job = await this.evaluations.create(tenantId, 'EVALUATION', { modelId: model.id, versionId: version.id, datasetId: dataset.id, createdByKeyId: principal.apiKeyId, spec: plan as unknown as Prisma.InputJsonValue });
    try {
      await this.queue.enqueue({ tenantId, jobId: job.id }, 'evaluate');
    } catch (error) {
      await this.evaluations.delete(tenantId, job.id);
      throw new QueueUnavailableError(error);
    }
    await this.audit.record(tenantId, principal, { action: 'evaluation.created', targetType: 'model_version', targetId: version.id, details: { model: model.name, version: version.number, dataset: dataset.name, evaluation: job.id } });
    return this.get(tenantId, job.id);
  }

  async listForVersion(tenantId: string, modelName: string, reference: string) {
    const { version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    return (await this.evaluations.listForVersion(tenantId, 'EVALUATION', version.id)).map(evaluationView);
  }

  async get(tenantId: string, id: string) {
    return evaluationView(await this.find(tenantId, id));
  }

  async find(tenantId: string, id: string): Promise<NamedVersionJob> {
    const evaluation = await this.evaluations.find(tenantId, 'EVALUATION', id);
    if (!evaluation) throw new EvaluationNotFoundError(id);
    return evaluation;
  }

  /** Each version's latest succeeded evaluation on the dataset, by version: the comparison in one call. */
  async compare(tenantId: string, modelName: string, datasetReference: string) {
    const model = await this.registry.getModel(tenantId, modelName);
    const dataset = await this.datasets.find(tenantId, datasetReference);
    if (!dataset) throw new DatasetNotFoundError(datasetReference);
    const latest = new Map<number, NamedVersionJob>();
    for (const evaluation of await this.evaluations.succeededOnDataset(tenantId, model.id, dataset.id)) {
      const number = evaluation.version?.number;
      if (number !== undefined && !latest.has(number)) latest.set(number, evaluation);
    }
    const versions = [...latest.values()].sort((a, b) => a.version!.number - b.version!.number).map((evaluation) => {
      const view = evaluationView(evaluation);
      return { version: view.version, evaluation: view.id, task: view.task, split: view.split, finishedAt: view.finishedAt, headline: headline(evaluation.result as unknown as EvaluationMetrics), metrics: view.metrics };
    });
    return { model: model.name, dataset: dataset.name, versions };
  }
}

/** The numbers one compares versions by. */
function headline(metrics: EvaluationMetrics) {
  if (metrics.task === 'classification') return { accuracy: metrics.accuracy, macroF1: metrics.macro.f1, logLoss: metrics.logLoss };
  return { mse: metrics.mse, mae: metrics.mae, r2: metrics.r2 };
}

function parseRequest(body: unknown): EvaluationRequest {
  const parsed = evaluationRequestSchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidEvaluationError(parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`));
}
