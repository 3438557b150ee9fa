import { Module } from '@nestjs/common';
import { JobsModule } from '@maas/jobs';
import { CompressionsController } from './compressions/compressions.controller';
import { DatasetsController } from './datasets/datasets.controller';
import { EvaluationsController } from './evaluations/evaluations.controller';
import { TrainingJobsController } from './training-jobs/training-jobs.controller';
import { MultipartUploads } from '@maas/service';

/**
 * The trainer: datasets and the training-job API, and — where MAAS_TRAINER_ROLE is `worker` or
 * `both` (npm start) — the BullMQ workers that train.
 */
@Module({
  imports: [JobsModule],
  controllers: [DatasetsController, TrainingJobsController, EvaluationsController, CompressionsController],
  providers: [MultipartUploads],
})
export class TrainerAppModule {}
