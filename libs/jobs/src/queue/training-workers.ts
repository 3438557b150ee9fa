import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '@maas/config';
import { CompressionRunner } from '../compression/compression-runner';
import { EvaluationRunner } from '../evaluation/evaluation-runner';
import { FinalTrainingFailure, InterruptedByShutdown, TenantAtTrainingLimit, TrainingRunner } from '../jobs/training-runner';

/** A job whose tenant is at its plan's limit of running jobs is looked at again after this. */
const BUSY_TENANT_DELAY_MS = 2_000;
import { TRAINING_QUEUE, TrainingQueue, TrainingQueueJob } from './training-queue';

/**
 * The consumer side: BullMQ workers that hand each job to the TrainingRunner. The `model.fit`
 * itself runs in a child process, so this event loop stays free to renew locks. Started only where
 * MAAS_TRAINER_ROLE is `worker` or `both`.
 */
@Injectable()
export class TrainingWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TrainingWorkers');
  private worker?: Worker<TrainingQueueJob>;

  constructor(
    private readonly queue: TrainingQueue,
    private readonly runner: TrainingRunner,
    private readonly evaluations: EvaluationRunner,
    private readonly compressions: CompressionRunner,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.trainerRole === 'api') return;
    const connection = this.queue.queueConnection;
    this.worker = new Worker<TrainingQueueJob>(TRAINING_QUEUE, (job, token) => this.process(job, token), { ...connection.options, concurrency: this.config.trainingConcurrency, lockDuration: this.config.trainingLockMs, stalledInterval: this.config.trainingLockMs, maxStalledCount: this.config.trainingAttempts }, connection.backend as never);
    this.worker.on('error', (error) => this.logger.warn(`training worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`training job ${job?.id} attempt ${job?.attemptsMade} failed: ${error.message}`));
    this.runner.prepareProcess();
    this.logger.log(`training workers started (concurrency ${this.config.trainingConcurrency})`);
  }

  private async process(job: Job<TrainingQueueJob>, token: string | undefined): Promise<void> {
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      const runner = job.name === 'evaluate' ? this.evaluations : job.name === 'compress' ? this.compressions : this.runner;
      await runner.run(job.data.tenantId, job.data.jobId, isLastAttempt);
    } catch (error) {
      if (error instanceof FinalTrainingFailure) throw new UnrecoverableError(error.message);
      if (error instanceof TenantAtTrainingLimit || error instanceof InterruptedByShutdown) {
        // Not an attempt: the job goes back to wait its turn, its attempts untouched.
        await job.moveToDelayed(Date.now() + (error instanceof TenantAtTrainingLimit ? BUSY_TENANT_DELAY_MS : 0), token);
        throw new DelayedError();
      }
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.runner.interruptAll();
    await this.worker?.close();
  }
}
