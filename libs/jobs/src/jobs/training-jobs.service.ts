import { Injectable } from '@nestjs/common';
import { Dataset, DatabaseNotifications, JobStatus, Prisma, TrainingJob } from '@maas/db';
import { describeIssues, DomainError } from '@maas/errors';
import { AuditLog, Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { DatasetNotFoundError } from '../datasets/dataset-errors';
import type { DatasetSchema } from '../datasets/dataset-schema';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { TrainingQueue } from '../queue/training-queue';
import { InvalidTrainingRequestError, QueueUnavailableError, TrainingJobFinishedError, TrainingJobNotFoundError } from '../training/training-errors';
import { planTraining } from '../training/training-planner';
import { TrainingRequest, trainingRequestSchema } from '../training/training-spec';
import { jobView } from './job-views';
import { TRAINING_CANCEL_CHANNEL, TrainingRunner } from './training-runner';
import { TrainingJobsRepository } from './training-jobs.repository';

/**
 * The training-job API's rules: validate everything before anything is written (a 400 lists every
 * problem), create the target model if missing, write the row, then queue it — if the queue cannot
 * take it, the row goes again and the caller gets a 503. A repeated Idempotency-Key returns the
 * first job.
 */
@Injectable()
export class TrainingJobsService {
  constructor(
    private readonly jobs: TrainingJobsRepository,
    private readonly datasets: DatasetsRepository,
    private readonly registry: ModelRegistry,
    private readonly queue: TrainingQueue,
    private readonly notifications: DatabaseNotifications,
    private readonly audit: AuditLog,
    private readonly runner: TrainingRunner,
  ) {}

  async create(principal: Principal, body: unknown, idempotencyKey?: string) {
    const { tenantId } = principal;
    if (idempotencyKey) {
      const earlier = await this.jobs.findByIdempotencyKey(tenantId, idempotencyKey);
      if (earlier) return this.get(tenantId, earlier.id);
    }
    const request = parseRequest(body);
    const { plan, layers } = await this.plan(tenantId, request);
    const model = await this.targetModel(principal, request.model);
    const job = await this.jobs.create(tenantId, { modelId: model.id, datasetId: plan.datasetId, createdByKeyId: principal.apiKeyId, spec: { plan, layers } as unknown as Prisma.InputJsonValue, idempotencyKey });
    try {
      await this.queue.enqueue({ tenantId, jobId: job.id });
    } catch (error) {
      await this.jobs.delete(tenantId, job.id);
      throw new QueueUnavailableError(error);
    }
    await this.audit.record(tenantId, principal, { action: 'training_job.created', targetType: 'training_job', targetId: job.id, details: { model: request.model, dataset: request.dataset } });
    return this.get(tenantId, job.id);
  }

  async get(tenantId: string, id: string) {
    return jobView(await this.findWithNames(tenantId, id));
  }

  async list(tenantId: string, filters: { status?: string; model?: string; after?: string; limit: number }) {
    const status = filters.status ? (filters.status.toUpperCase() as JobStatus) : undefined;
    const modelId = filters.model ? (await this.registry.getModel(tenantId, filters.model)).id : undefined;
    const rows = await this.jobs.list(tenantId, { status, modelId, after: filters.after, limit: filters.limit + 1 });
    const page = rows.slice(0, filters.limit);
    return { data: page.map(jobView), hasMore: rows.length > filters.limit, nextCursor: rows.length > filters.limit ? page[page.length - 1].id : null };
  }

  /** A queued job is taken off the queue; a running one stops between batches (the worker marks it). */
  async cancel(principal: Principal, id: string) {
    const job = await this.find(principal.tenantId, id);
    if (!['QUEUED', 'RUNNING'].includes(job.status)) throw new TrainingJobFinishedError(id, job.status);
    await this.jobs.transition(principal.tenantId, id, ['QUEUED', 'RUNNING'], { cancelRequested: true });
    if (job.status === 'QUEUED' && (await this.queue.removeWaiting(id))) {
      await this.jobs.transition(principal.tenantId, id, ['QUEUED'], { status: 'CANCELLED', finishedAt: new Date() });
    }
    await this.notifications.publish(TRAINING_CANCEL_CHANNEL, id);
    await this.audit.record(principal.tenantId, principal, { action: 'training_job.cancelled', targetType: 'training_job', targetId: id });
    return this.get(principal.tenantId, id);
  }

  async checkpoints(tenantId: string, id: string) {
    await this.find(tenantId, id);
    return (await this.jobs.checkpoints(tenantId, id)).map((checkpoint) => ({ epoch: checkpoint.epoch, metrics: checkpoint.metrics, createdAt: checkpoint.createdAt.toISOString() }));
  }

  async promoteCheckpoint(principal: Principal, id: string, epoch: number) {
    const version = await this.runner.promoteCheckpoint(principal, await this.find(principal.tenantId, id), epoch);
    await this.audit.record(principal.tenantId, principal, { action: 'training_checkpoint.promoted', targetType: 'model_version', targetId: version.id, details: { job: id, epoch } });
    return { model: (await this.findWithNames(principal.tenantId, id)).model.name, version: version.number, epoch };
  }

  async find(tenantId: string, id: string): Promise<TrainingJob> {
    const job = await this.jobs.find(tenantId, id);
    if (!job) throw new TrainingJobNotFoundError(id);
    return job;
  }

  private async findWithNames(tenantId: string, id: string) {
    const job = await this.jobs.findNamed(tenantId, id);
    if (!job) throw new TrainingJobNotFoundError(id);
    return job;
  }

  private async plan(tenantId: string, request: TrainingRequest) {
    const dataset = await this.dataset(tenantId, request.dataset);
    const validation = request.validationDataset ? await this.dataset(tenantId, request.validationDataset) : undefined;
    const base = request.baseVersion ? await this.baseVersion(tenantId, request.model, request.baseVersion) : undefined;
    return planTraining({ request, dataset: withSchema(dataset), validationDataset: validation && withSchema(validation), base });
  }

  private async dataset(tenantId: string, reference: string): Promise<Dataset> {
    const dataset = await this.datasets.find(tenantId, reference);
    if (!dataset) throw new DatasetNotFoundError(reference);
    return dataset;
  }

  private async baseVersion(tenantId: string, modelName: string, number: number) {
    const { version } = await this.registry.resolveVersion(tenantId, modelName, String(number));
    if (version.runtime !== 'TFJS' || !version.artifactId) throw new InvalidTrainingRequestError([`baseVersion ${number} of "${modelName}" is not a TensorFlow.js version: only TF.js layers models can be fine-tuned`]);
    const signature = version.signature as { inputs: Array<{ shape: number[] }>; outputs: Array<{ shape: number[] }> };
    return { artifactId: version.artifactId, inputShape: signature.inputs[0].shape.slice(1), outputSize: signature.outputs[0].shape[signature.outputs[0].shape.length - 1] };
  }

  private async targetModel(principal: Principal, name: string) {
    try {
      return await this.registry.getModel(principal.tenantId, name);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'not_found')) throw error;
      return this.registry.createModel(principal, name, { description: 'created by a training job' });
    }
  }
}

function parseRequest(body: unknown): TrainingRequest {
  const parsed = trainingRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new InvalidTrainingRequestError(describeIssues(parsed.error.issues));
}

function withSchema(dataset: Dataset): { id: string; name: string; schema: DatasetSchema } {
  return { id: dataset.id, name: dataset.name, schema: dataset.schema as unknown as DatasetSchema };
}

