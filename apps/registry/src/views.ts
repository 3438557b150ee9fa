import { Model, ModelAlias, ModelVersion } from '@maas/db';

/** What clients see of a model: no internal ids of other rows, aliases by name → version number. */
export function modelView(model: Model) {
  return { id: model.id, name: model.name, description: model.description, task: model.task, tags: model.tags, createdAt: model.createdAt, updatedAt: model.updatedAt };
}

export function versionView(model: Model, version: ModelVersion, aliases: ModelAlias[] = []) {
  return {
    model: model.name,
    version: version.number,
    runtime: version.runtime.toLowerCase(),
    status: version.status.toLowerCase(),
    sizeBytes: Number(version.sizeBytes),
    sha256: version.sha256,
    signature: version.signature,
    metadata: version.metadata,
    pipeline: version.pipeline ?? null,
    source: version.source.toLowerCase(),
    description: version.description,
    aliases: aliases.filter((alias) => alias.versionId === version.id).map((alias) => alias.name),
    createdAt: version.createdAt,
  };
}

export function aliasView(alias: ModelAlias, versionNumber: number) {
  return { alias: alias.name, version: versionNumber, updatedAt: alias.updatedAt };
}
