import { Module } from '@nestjs/common';

/**
 * The trainer: training-job API and queue processor. Its feature modules arrive with the training
 * capability; until then it serves the service basics only.
 */
@Module({})
export class TrainerAppModule {}
