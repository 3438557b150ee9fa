import { DomainError } from '@maas/errors';

/** The model's queue is full: answered 503 so clients back off. */
export class ModelOverloadedError extends DomainError {
  constructor(model: string, queueSize: number) {
    super('unavailable', 'MODEL_OVERLOADED', `Model "${model}" is overloaded: ${queueSize} requests are already queued; retry later`);
  }
}

export class InferenceTimeoutError extends DomainError {
  constructor(model: string, timeoutMs: number) {
    super('unavailable', 'INFERENCE_TIMEOUT', `Inference on "${model}" did not finish within ${timeoutMs} ms`);
  }
}

/** The runtime refused or failed on inputs that passed validation (e.g. a value it cannot handle). */
export class InferenceFailedError extends DomainError {
  constructor(model: string, reason: string) {
    super('invalid', 'INFERENCE_FAILED', `Inference on "${model}" failed: ${reason}`);
  }
}
