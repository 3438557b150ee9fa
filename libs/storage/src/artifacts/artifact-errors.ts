import { DomainError } from '@maas/errors';

export class ArtifactTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('too_large', 'ARTIFACT_TOO_LARGE', `The upload exceeds the limit of ${limitBytes} bytes (MAAS_MAX_UPLOAD_BYTES)`);
  }
}

export class ArtifactNotFoundError extends DomainError {
  constructor(artifactId: string) {
    super('not_found', 'ARTIFACT_NOT_FOUND', `Artifact ${artifactId} not found`);
  }
}

/** A chunk that does not decrypt, or bytes that do not hash to the recorded SHA-256: never served. */
export class ArtifactIntegrityError extends Error {
  constructor(artifactId: string, detail: string) {
    super(`artifact ${artifactId} failed its integrity check: ${detail}`);
    this.name = 'ArtifactIntegrityError';
  }
}
