import { DomainError } from '@maas/errors';

export class ModelNotFoundError extends DomainError {
  constructor(name: string) {
    super('not_found', 'MODEL_NOT_FOUND', `Model "${name}" not found`);
  }
}

export class VersionNotFoundError extends DomainError {
  constructor(model: string, version: string) {
    super('not_found', 'VERSION_NOT_FOUND', `Model "${model}" has no version or alias "${version}"`);
  }
}

export class AliasNotFoundError extends DomainError {
  constructor(model: string, alias: string) {
    super('not_found', 'ALIAS_NOT_FOUND', `Model "${model}" has no alias "${alias}"`);
  }
}

export class ModelExistsError extends DomainError {
  constructor(name: string) {
    super('conflict', 'MODEL_EXISTS', `A model named "${name}" already exists`);
  }
}

export class VersionInUseError extends DomainError {
  constructor(model: string, version: number, aliases: string[]) {
    super('conflict', 'VERSION_IN_USE', `Version ${version} of "${model}" is still the target of alias ${aliases.map((alias) => `"${alias}"`).join(', ')}; move or delete the alias first`);
  }
}

export class NoReadyVersionError extends DomainError {
  constructor(model: string) {
    super('not_found', 'NO_READY_VERSION', `Model "${model}" has no version yet`);
  }
}
