import { Readable } from 'node:stream';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { DatabaseNotifications, Prisma, TrainingJob } from '@maas/db';
import type { Principal } from '@maas/identity';
import { ModelRegistry, VersionUploader, type VersionUpload } from '@maas/registry';
import { withoutOptimizerState } from '@maas/runtime';
import { ArtifactStore } from '@maas/storage';
import { TenantPlans, UsageRecorder } from '@maas/usage';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { TrainingProcess, trainingProcesses, type TrainingExit } from '../training/training-process';
import type { ChildMessage, DatasetBytes, EpochMetrics, OnnxExport, StartTraining } from '../training/training-protocol';
import type { LayerSpec } from '../training/training-spec';
import { CheckpointNotFoundError } from '../training/training-errors';
import { trainedPipeline } from '../training/trained-pipeline';
import { specOf, type StoredSpec } from './job-views';
import { TrainingEvents } from './training-events';
import { TrainingJobsRepository } from './training-jobs.repository';

/** Channel on which a cancel reaches the process running the job (payload: job id). */
export const TRAINING_CANCEL_CHANNEL = 'maas_training_cancel';

/** Thrown for a run that must not be retried (the job is already marked failed). */
export class FinalTrainingFailure extends Error {}

/** The tenant already runs as many training jobs as its plan allows: the job waits in the queue. */
export class TenantAtTrainingLimit extends Error {}

/** This worker is shutting down: the job goes back to the queue and resumes elsewhere from its last checkpoint. */
export class InterruptedByShutdown extends Error {}

/**
 * Runs one attempt of a job: marks it running, hands datasets (and the last checkpoint, when the
 * job ran before) to a training child process, persists what it reports — progress, each epoch's
 * checkpoint, events — and registers the result as a version of the target model, once per job.
 * A child that dies throws, so the queue retries; the retry resumes from the last checkpoint.
 */
@Injectable()
export class TrainingRunner implements OnModuleInit {
  private readonly logger = new Logger('Trainer');
  private readonly running = new Map<string, TrainingProcess>();
  private readonly processes = trainingProcesses();
  private shuttingDown = false;

  constructor(
    private readonly jobs: TrainingJobsRepository,
    private readonly events: TrainingEvents,
    private readonly datasets: DatasetsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly uploader: VersionUploader,
    private readonly registry: ModelRegistry,
    private readonly notifications: DatabaseNotifications,
    private readonly config: AppConfig,
    private readonly usage: UsageRecorder,
    private readonly plans: TenantPlans,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.notifications.subscribe(TRAINING_CANCEL_CHANNEL, (jobId) => this.running.get(jobId)?.stop());
  }

  /**
   * Shutting down: the jobs running here are interrupted, not cancelled — their children are killed
   * and the jobs return to the queue (see TrainingWorkers), to resume from their last checkpoint.
   */
  interruptAll(): void {
    this.shuttingDown = true;
    this.processes.close();
    for (const process of this.running.values()) process.kill();
  }

  /** Keeps a training process warm for the next job (workers call it at start; each job's end does too). */
  prepareProcess(): void {
    this.processes.prepare();
  }

  /** The training child processes running here, by job id (tests kill them to play a crash). */
  get runningProcesses(): ReadonlyMap<string, TrainingProcess> {
    return this.running;
  }

  async run(tenantId: string, jobId: string, isLastAttempt: boolean): Promise<void> {
    const job = await this.jobs.find(tenantId, jobId);
    if (!job || !['QUEUED', 'RUNNING'].includes(job.status)) return;
    if (job.cancelRequested) return void (await this.finish(job, 'CANCELLED', 'cancelled before it started'));
    const { concurrentTrainingJobs } = await this.plans.limits(tenantId);
    if (job.status === 'QUEUED' && (await this.jobs.countRunning(tenantId)) >= concurrentTrainingJobs) throw new TenantAtTrainingLimit(`the plan runs ${concurrentTrainingJobs} training job(s) at once`);
    await this.jobs.transition(tenantId, jobId, ['QUEUED', 'RUNNING'], { status: 'RUNNING', startedAt: job.startedAt ?? new Date(), attempts: { increment: 1 } });
    try {
      const exit = await this.train(job);
      await this.conclude(job, exit);
    } catch (error) {
      if (error instanceof FinalTrainingFailure) return;
      if (this.shuttingDown) {
        await this.jobs.transition(tenantId, jobId, ['RUNNING'], { status: 'QUEUED' });
        await this.events.append(tenantId, jobId, 'info', 'message', 'the worker running this job shut down; the job waits in the queue and resumes from its last checkpoint');
        throw new InterruptedByShutdown('worker shutting down');
      }
      const message = (error as Error).message;
      await this.events.append(tenantId, jobId, isLastAttempt ? 'error' : 'warn', 'message', isLastAttempt ? `attempt ${job.attempts + 1} failed: ${message}; no attempts left` : `attempt ${job.attempts + 1} failed: ${message}; it will be retried from the last checkpoint`);
      if (isLastAttempt) await this.finish(job, 'FAILED', message, 'TRAINING_CRASHED');
      throw error;
    }
  }

  private async train(job: TrainingJob): Promise<TrainingExit> {
    const spec = specOf(job);
    const start = await this.startMessage(job, spec);
    await this.events.append(job.tenantId, job.id, 'info', 'message', start.checkpoint ? `attempt ${job.attempts + 1}: resuming after epoch ${start.checkpoint.epochsDone}` : `attempt ${job.attempts + 1}: training started`);
    const startedAt = Date.now();
    const { process, result } = TrainingProcess.run(start, { onMessage: (message) => this.persist(job, message, startedAt) }, this.processes);
    this.running.set(job.id, process);
    try {
      return await result;
    } finally {
      this.running.delete(job.id);
      // The next spare starts once this child is done, never beside its fit.
      this.prepareProcess();
      // Every attempt's compute time is metered, whatever its outcome (a crashed attempt used the CPU too).
      this.usage.record({ tenantId: job.tenantId, apiKeyId: job.createdByKeyId ?? undefined, modelId: job.modelId, versionNumber: 0, items: 0, bytesIn: 0, bytesOut: 0, latencyMs: 0, outcome: 'ok', at: Date.now(), trainingSeconds: (Date.now() - startedAt) / 1000 });
    }
  }

  private async startMessage(job: TrainingJob, spec: StoredSpec): Promise<StartTraining> {
    const { plan } = spec;
    const dataset = await this.datasetBytes(job.tenantId, plan.datasetId);
    const validationDataset = plan.validationDatasetId ? await this.datasetBytes(job.tenantId, plan.validationDatasetId) : undefined;
    const latest = await this.jobs.latestCheckpoint(job.tenantId, job.id);
    const history = resumedHistory(job.metrics as unknown as EpochMetrics[], latest);
    const checkpoint = latest ? { epochsDone: latest.epoch, bundle: await this.artifacts.readAll(job.tenantId, latest.artifactId), history } : undefined;
    const base = plan.baseArtifactId ? await this.artifacts.readAll(job.tenantId, plan.baseArtifactId) : undefined;
    const elapsedSeconds = job.startedAt ? (Date.now() - job.startedAt.getTime()) / 1000 : 0;
    return { type: 'start', plan, layers: spec.layers as LayerSpec[], dataset, validationDataset, checkpoint, base, elapsedSeconds: latest ? elapsedSeconds : 0 };
  }

  /** The examples parsed at upload when the dataset has them, so the child need not parse the file. */
  private async datasetBytes(tenantId: string, datasetId: string): Promise<DatasetBytes> {
    const dataset = await this.datasets.find(tenantId, datasetId);
    if (!dataset?.artifactId) throw new Error(`dataset ${datasetId} is gone`);
    if (dataset.examplesArtifactId) return { bytes: await this.artifacts.readAll(tenantId, dataset.examplesArtifactId), parsed: true };
    return { bytes: await this.artifacts.readAll(tenantId, dataset.artifactId), parsed: false };
  }

  private async persist(job: TrainingJob, message: ChildMessage, startedAt: number): Promise<void> {
    const { tenantId, id } = job;
    switch (message.type) {
      case 'started':
        await this.jobs.transition(tenantId, id, ['RUNNING'], { backend: message.backend });
        await this.events.append(tenantId, id, 'info', 'message', `training on the ${message.backend} backend: ${message.examples} examples, ${message.validationExamples} for validation`, { backend: message.backend });
        if (message.note) await this.events.append(tenantId, id, 'warn', 'message', message.note);
        return;
      case 'progress':
        return this.jobs.recordProgress(tenantId, id, { fraction: message.fraction, epoch: message.epoch, batch: message.batch });
      case 'epoch':
        return this.saveEpoch(job, message, startedAt);
      default:
        return;
    }
  }

  private async saveEpoch(job: TrainingJob, message: Extract<ChildMessage, { type: 'epoch' }>, startedAt: number): Promise<void> {
    const { tenantId, id } = job;
    const { metrics } = message;
    const artifact = await this.artifacts.write(tenantId, Readable.from([Buffer.from(message.checkpoint)]), { maxBytes: this.config.maxUploadBytes, contentType: 'application/vnd.maas.tfjs-bundle' });
    await this.jobs.addCheckpoint(tenantId, id, metrics.epoch, metrics as unknown as Prisma.InputJsonValue, artifact.id);
    for (const stale of await this.jobs.staleCheckpoints(tenantId, id, this.config.trainingCheckpointsKept)) await this.jobs.deleteCheckpoint(tenantId, stale);
    const current = await this.jobs.find(tenantId, id);
    const history = [...((current?.metrics as unknown as EpochMetrics[]) ?? []).filter((earlier) => earlier.epoch < metrics.epoch), metrics];
    await this.jobs.recordProgress(tenantId, id, { fraction: message.fraction, epoch: metrics.epoch }, history as unknown as Prisma.InputJsonValue);
    await this.events.append(tenantId, id, 'info', 'metrics', `epoch ${metrics.epoch}: ${describeMetrics(metrics)} (${Math.round((Date.now() - startedAt) / 1000)} s)`, metrics);
    // A cancel whose notification was missed still lands: the flag is read after every epoch.
    if (current?.cancelRequested) this.running.get(id)?.stop();
  }

  private async conclude(job: TrainingJob, exit: TrainingExit): Promise<void> {
    if (exit.type === 'failed') {
      await this.finish(job, 'FAILED', exit.message, exit.invalid ? 'INVALID_DATASET' : 'TRAINING_FAILED');
      throw new FinalTrainingFailure(exit.message);
    }
    if (exit.tensorsLeaked !== 0) await this.events.append(job.tenantId, job.id, 'warn', 'message', `${exit.tensorsLeaked} tensors were not freed by the run`);
    if (exit.outcome === 'cancelled') return this.finish(job, 'CANCELLED', undefined);
    if (exit.outcome === 'timed_out') return this.finish(job, 'FAILED', exit.message, 'MAX_RUNTIME_EXCEEDED');
    const version = await this.register(job, exit);
    await this.events.append(job.tenantId, job.id, 'info', 'message', `${exit.message}; registered as version ${version.number} of "${specOf(job).plan.request.model}"`, { version: version.number });
    // The job succeeds once everything it produces exists: the ONNX export too, when asked for.
    if (exit.onnx) await this.registerOnnx(job, exit.onnx, version.number);
    await this.jobs.transition(job.tenantId, job.id, ['RUNNING'], { status: 'SUCCEEDED', finishedAt: new Date(), resultVersionId: version.id, progress: { fraction: 1, epoch: exit.history.at(-1)?.epoch ?? 0 } });
  }

  /** The ONNX export as the next version (once per job), noting how closely it matches TF.js. */
  private async registerOnnx(job: TrainingJob, onnx: OnnxExport, tfjsVersion: number): Promise<void> {
    const { plan } = specOf(job);
    const model = await this.registry.getModel(job.tenantId, plan.request.model);
    const existing = (await this.registry.listVersions(job.tenantId, model)).find((candidate) => (candidate.metadata as { onnxExportOfJob?: string }).onnxExportOfJob === job.id);
    const version =
      existing ??
      (await this.uploadVersion(jobPrincipal(job), plan.request.model, 'onnx', onnx.bytes, `ONNX export of version ${tfjsVersion} (job ${job.id})`, {
        source: 'TRAINING',
        pipeline: trainedPipeline(plan, specOf(job).layers as LayerSpec[]),
        inspected: onnx.inspection,
        metadata: { onnxExportOfJob: job.id, exportOf: tfjsVersion, classes: plan.classes, onnxMaxAbsDifference: onnx.maxAbsDifference, comparedExamples: onnx.comparedExamples },
      }));
    await this.events.append(job.tenantId, job.id, 'info', 'message', `exported to ONNX as version ${version.number}: largest difference from TF.js ${onnx.maxAbsDifference.toExponential(2)} over ${onnx.comparedExamples} examples`, { version: version.number, maxAbsDifference: onnx.maxAbsDifference });
  }

  /** A checkpoint as a new version of the job's model (without its optimizer state), on request. */
  async promoteCheckpoint(principal: Principal, job: TrainingJob, epoch: number) {
    const checkpoint = (await this.jobs.checkpoints(job.tenantId, job.id)).find((candidate) => candidate.epoch === epoch);
    if (!checkpoint) throw new CheckpointNotFoundError(job.id, epoch);
    const { plan } = specOf(job);
    const bundle = withoutOptimizerState(await this.artifacts.readAll(job.tenantId, checkpoint.artifactId));
    return this.uploadVersion(principal, plan.request.model, 'tfjs', bundle, `checkpoint after epoch ${epoch} of job ${job.id}`, {
      source: 'TRAINING',
      pipeline: trainedPipeline(plan, specOf(job).layers as LayerSpec[]),
      metadata: { trainingJob: job.id, checkpointEpoch: epoch, task: plan.request.task, classes: plan.classes, metrics: checkpoint.metrics },
    });
  }

  private async register(job: TrainingJob, exit: Extract<TrainingExit, { type: 'finished' }>) {
    const { plan } = specOf(job);
    const final = exit.history[exit.history.length - 1];
    const hyperparameters = { optimizer: plan.request.optimizer, learningRate: plan.request.learningRate, epochs: plan.request.epochs, batchSize: plan.request.batchSize, loss: plan.loss, seed: plan.request.seed };
    return this.uploadVersion(jobPrincipal(job), plan.request.model, 'tfjs', exit.bundle!, `trained by job ${job.id}`, {
      source: 'TRAINING',
      pipeline: trainedPipeline(plan, specOf(job).layers as LayerSpec[]),
      inspected: exit.inspection,
      trainingJobId: job.id,
      metadata: { trainingJob: job.id, task: plan.request.task, classes: plan.classes, hyperparameters, metrics: final ?? null, ...plan.request.metadata },
    });
  }

  /** A version of the job's model from bytes the platform made (a trained model, an export, a checkpoint). */
  private uploadVersion(principal: Principal, model: string, format: 'tfjs' | 'onnx', bytes: Uint8Array, description: string, { pipeline, inspected, ...origin }: NonNullable<VersionUpload['origin']> & Pick<VersionUpload, 'pipeline' | 'inspected'>) {
    const contentType = format === 'tfjs' ? 'application/vnd.maas.tfjs-bundle' : 'application/octet-stream';
    return this.uploader.upload(principal, model, { format, source: Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), contentType, description, origin, pipeline, inspected });
  }

  private async finish(job: TrainingJob, status: 'FAILED' | 'CANCELLED', error: string | undefined, errorCode?: string): Promise<void> {
    await this.jobs.transition(job.tenantId, job.id, ['QUEUED', 'RUNNING'], { status, finishedAt: new Date(), error: error ?? null, errorCode: errorCode ?? null });
    await this.events.append(job.tenantId, job.id, status === 'FAILED' ? 'error' : 'info', 'message', status === 'FAILED' ? `failed: ${error}` : 'cancelled; no version was created');
  }
}

/** The job acts as the key that created it (audit entries name that key). */
export function jobPrincipal(job: Pick<TrainingJob, 'tenantId' | 'createdByKeyId'>): Principal {
  return { kind: 'api-key', tenantId: job.tenantId, apiKeyId: job.createdByKeyId ?? undefined, scopes: [] };
}

function describeMetrics(metrics: EpochMetrics): string {
  return Object.entries(metrics)
    .filter(([name]) => name !== 'epoch')
    .map(([name, value]) => `${name} ${Number(value).toFixed(4)}`)
    .join(', ');
}

/**
 * The epochs' metrics a resumed run starts from: the job's, up to its last checkpoint — whose own
 * metrics fill in the last epoch when the process died between saving the checkpoint and the job's history.
 */
function resumedHistory(recorded: EpochMetrics[], latest: { epoch: number; metrics: unknown } | null): EpochMetrics[] {
  if (!latest) return recorded;
  const history = recorded.filter((metrics) => metrics.epoch <= latest.epoch);
  if (!history.some((metrics) => metrics.epoch === latest.epoch)) history.push(latest.metrics as EpochMetrics);
  return history;
}
