import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '@maas/config';
import { FinalTrainingFailure, TrainingRunner } from '../jobs/training-runner';
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
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.trainerRole === 'api') return;
    const connection = this.queue.queueConnection;
    this.worker = new Worker<TrainingQueueJob>(TRAINING_QUEUE, (job) => this.process(job), { ...connection.options, concurrency: this.config.trainingConcurrency, lockDuration: this.config.trainingLockMs, stalledInterval: this.config.trainingLockMs, maxStalledCount: this.config.trainingAttempts }, connection.backend as never);
    this.worker.on('error', (error) => this.logger.warn(`training worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`training job ${job?.id} attempt ${job?.attemptsMade} failed: ${error.message}`));
    this.logger.log(`training workers started (concurrency ${this.config.trainingConcurrency})`);
  }

  private async process(job: Job<TrainingQueueJob>): Promise<void> {
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      await this.runner.run(job.data.tenantId, job.data.jobId, isLastAttempt);
    } catch (error) {
      if (error instanceof FinalTrainingFailure) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const process of this.runner.runningProcesses.values()) process.stop();
    await this.worker?.close();
  }
}
