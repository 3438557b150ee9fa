import { DomainError } from '@maas/errors';

/** A model this method cannot compress, and why (answered 422). */
export class CompressionRefusedError extends DomainError {
  constructor(message: string) {
    super('unprocessable', 'COMPRESSION_REFUSED', message);
  }
}
