export class InvalidCopyDataError extends Error {
  constructor(detail: string) {
    super(`unexpected binary COPY data: ${detail}`);
    this.name = 'InvalidCopyDataError';
  }
}
