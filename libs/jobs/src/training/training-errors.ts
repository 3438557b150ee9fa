import { DomainError } from '@maas/errors';

/** A training request that cannot run, with every problem found (not only the first). */
export class InvalidTrainingRequestError extends DomainError {
  constructor(readonly problems: string[]) {
    super('invalid', 'INVALID_TRAINING_REQUEST', `The training job cannot run: ${problems.join('; ')}`);
  }
}

export class TrainingJobNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', 'TRAINING_JOB_NOT_FOUND', `Training job "${id}" not found`);
  }
}

export class TrainingJobFinishedError extends DomainError {
  constructor(id: string, status: string) {
    super('conflict', 'TRAINING_JOB_FINISHED', `Training job "${id}" is ${status.toLowerCase()}: only queued or running jobs can be cancelled`);
  }
}

export class QueueUnavailableError extends DomainError {
  readonly retryAfterSeconds = 5;

  constructor(cause: unknown) {
    super('unavailable', 'QUEUE_UNAVAILABLE', 'The training queue is unavailable right now; nothing was created. Retry shortly.');
    this.cause = cause;
  }
}

export class CheckpointNotFoundError extends DomainError {
  constructor(jobId: string, epoch: number) {
    super('not_found', 'CHECKPOINT_NOT_FOUND', `Training job "${jobId}" has no checkpoint after epoch ${epoch} (only the newest MAAS_TRAINING_CHECKPOINTS_KEPT are kept)`);
  }
}
