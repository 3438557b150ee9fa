/** How a domain error should be answered over HTTP; mapped to a status in one place. */
export type ErrorKind = 'invalid' | 'unprocessable' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'unavailable';

/**
 * An error the libraries raise without knowing about HTTP (Triton's idea of one error type mapped to
 * status codes in one place): `code` is stable for clients, `message` is written for a person.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
