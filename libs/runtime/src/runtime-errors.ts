import { DomainError } from '@maas/errors';

/** The bytes are not a model this runtime can load: answered 422 with the runtime's reason. */
export class InvalidModelError extends DomainError {
  constructor(message: string) {
    super('invalid', 'INVALID_MODEL', message);
  }
}
