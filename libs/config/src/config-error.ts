/** Raised when an environment variable is missing or malformed; its message is one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expectation: string,
    readonly received: string | undefined,
  ) {
    super(
      received === undefined
        ? `Invalid configuration: ${variable} is required: expected ${expectation}`
        : `Invalid configuration: ${variable} must be ${expectation} (got ${JSON.stringify(received)})`,
    );
    this.name = 'ConfigError';
  }
}
