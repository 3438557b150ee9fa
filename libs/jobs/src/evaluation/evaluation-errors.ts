import { DomainError } from '@maas/errors';

/** An evaluation that cannot run on this version and dataset, with every problem found. */
export class InvalidEvaluationError extends DomainError {
  constructor(readonly problems: string[]) {
    super('invalid', 'INVALID_EVALUATION', `The evaluation cannot run: ${problems.join('; ')}`);
  }
}

export class EvaluationNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', 'EVALUATION_NOT_FOUND', `Evaluation "${id}" not found`);
  }
}
