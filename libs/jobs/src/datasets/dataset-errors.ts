import { DomainError } from '@maas/errors';

/** A dataset that cannot be used: the message names the line and column at fault. */
export class InvalidDatasetError extends DomainError {
  constructor(message: string) {
    super('invalid', 'INVALID_DATASET', message);
  }
}

export class DatasetNotFoundError extends DomainError {
  constructor(reference: string) {
    super('not_found', 'DATASET_NOT_FOUND', `Dataset "${reference}" not found`);
  }
}

export class DatasetInUseError extends DomainError {
  constructor(name: string, jobs: number) {
    super('conflict', 'DATASET_IN_USE', `Dataset "${name}" is used by ${jobs} queued or running training job(s); cancel them or wait until they finish`);
  }
}
