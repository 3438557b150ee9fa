import { DomainError } from '@maas/errors';

/** A request tensor that cannot be decoded or does not fit the model: answered 400. */
export class InvalidTensorError extends DomainError {
  constructor(message: string) {
    super('invalid', 'INVALID_TENSOR', message);
  }
}

/** Tensors that cannot share a batch (different datatype or non-batch dimensions). */
export class BatchMismatchError extends DomainError {
  constructor(message: string) {
    super('invalid', 'BATCH_MISMATCH', message);
  }
}
