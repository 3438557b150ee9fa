import { DomainError } from '@maas/errors';

/** A pipeline that is malformed or does not fit the version's signature: every problem, in one 400. */
export class InvalidPipelineError extends DomainError {
  constructor(readonly problems: string[]) {
    super('invalid', 'INVALID_PIPELINE', `the pipeline does not fit the model: ${problems.join('; ')}`);
  }
}

/** A request's value that a pipeline step could not process, naming the step. */
export class PreprocessingError extends DomainError {
  constructor(input: string, step: string, reason: string) {
    super('invalid', 'PREPROCESSING_FAILED', `input "${input}", step ${step}: ${reason}`);
  }
}
