import { Injectable } from '@nestjs/common';
import { describeIssues } from '@maas/errors';
import type { Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { DatasetNotFoundError } from '../datasets/dataset-errors';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { VersionJobs } from '../jobs/version-jobs';
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
    private readonly jobs: VersionJobs,
    private readonly evaluations: VersionJobsRepository,
    private readonly datasets: DatasetsRepository,
    private readonly registry: ModelRegistry,
  ) {}

  async create(principal: Principal, modelName: string, reference: string, body: unknown) {
    const { tenantId } = principal;
    const request = parseRequest(body);
    const { model, version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    const dataset = await this.datasets.find(tenantId, request.dataset);
    if (!dataset) throw new DatasetNotFoundError(request.dataset);
    const plan = planEvaluation({ request, model: model.name, version, dataset, trainedBy: await this.evaluations.trainingJobOf(tenantId, version) });
    const job = await this.jobs.start(principal, 'EVALUATION', { modelId: model.id, versionId: version.id, datasetId: dataset.id, spec: plan }, { action: 'evaluation.created', details: { model: model.name, version: version.number, dataset: dataset.name } });
    return this.get(tenantId, job.id);
  }

  async listForVersion(tenantId: string, modelName: string, reference: string) {
    return (await this.jobs.listForVersion(tenantId, 'EVALUATION', modelName, reference)).map(evaluationView);
  }

  async get(tenantId: string, id: string) {
    return evaluationView(await this.find(tenantId, id));
  }

  find(tenantId: string, id: string): Promise<NamedVersionJob> {
    return this.jobs.find(tenantId, 'EVALUATION', id, () => new EvaluationNotFoundError(id));
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
  throw new InvalidEvaluationError(describeIssues(parsed.error.issues));
}
