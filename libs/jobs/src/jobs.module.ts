import { Module } from '@nestjs/common';
import { RegistryModule } from '@maas/registry';
import { UsageModule } from '@maas/usage';
import { DatasetsRepository } from './datasets/datasets.repository';
import { DatasetsService } from './datasets/datasets.service';
import { TrainingEvents } from './jobs/training-events';
import { TrainingJobsRepository } from './jobs/training-jobs.repository';
import { TrainingJobsService } from './jobs/training-jobs.service';
import { TrainingRunner } from './jobs/training-runner';
import { TrainingQueue } from './queue/training-queue';
import { TrainingWorkers } from './queue/training-workers';
import { CompressionRunner } from './compression/compression-runner';
import { CompressionsService } from './compression/compressions.service';
import { EvaluationRunner } from './evaluation/evaluation-runner';
import { VersionJobsRepository } from './jobs/version-jobs.repository';
import { VersionJobs } from './jobs/version-jobs';
import { VersionJobLifecycle } from './jobs/version-job-lifecycle';
import { EvaluationsService } from './evaluation/evaluations.service';

/**
 * Datasets and training jobs: the API's services, the BullMQ queue, and (where MAAS_TRAINER_ROLE
 * allows) the workers — one codebase, two roles, as immich builds its API and worker.
 */
@Module({
  imports: [RegistryModule, UsageModule],
  providers: [DatasetsRepository, DatasetsService, TrainingJobsRepository, TrainingEvents, TrainingQueue, TrainingRunner, TrainingWorkers, TrainingJobsService, VersionJobsRepository, VersionJobs, VersionJobLifecycle, EvaluationsService, EvaluationRunner, CompressionsService, CompressionRunner],
  exports: [DatasetsService, TrainingJobsService, TrainingEvents, TrainingRunner, TrainingQueue, EvaluationsService, CompressionsService],
})
export class JobsModule {}
