import { Injectable } from '@nestjs/common';
import { Model, ModelAlias, ModelVersion, Prisma } from '@maas/db';
import { AuditLog, Principal } from '@maas/identity';
import { parsePipeline } from '@maas/pipeline';
import { ArtifactStore } from '@maas/storage';
import type { ModelSignature } from '@maas/tensor';
import { AliasesRepository } from './aliases.repository';
import { ModelEvents } from './model-events';
import { ModelFields, ModelsRepository } from './models.repository';
import { AliasNotFoundError, ModelExistsError, ModelNotFoundError, NoReadyVersionError, VersionInUseError, VersionNotFoundError } from './registry-errors';
import { parseVersionReference } from './version-reference';
import { VersionsRepository } from './versions.repository';

/**
 * The registry's rules, MLflow-style: models per tenant, immutable numbered versions, aliases
 * that move atomically and are announced to every process. Another tenant's model is simply not
 * found: every lookup is by (tenant, name).
 */
@Injectable()
export class ModelRegistry {
  constructor(
    private readonly models: ModelsRepository,
    private readonly versions: VersionsRepository,
    private readonly aliases: AliasesRepository,
    private readonly artifacts: ArtifactStore,
    private readonly events: ModelEvents,
    private readonly audit: AuditLog,
  ) {}

  async createModel(principal: Principal, name: string, fields: ModelFields): Promise<Model> {
    if (await this.models.findByName(principal.tenantId, name)) throw new ModelExistsError(name);
    const model = await this.models.create(principal.tenantId, name, fields).catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new ModelExistsError(name);
      throw error;
    });
    await this.audit.record(principal.tenantId, principal, { action: 'model.created', targetType: 'model', targetId: model.id, details: { name } });
    return model;
  }

  async getModel(tenantId: string, name: string): Promise<Model> {
    const model = await this.models.findByName(tenantId, name);
    if (!model) throw new ModelNotFoundError(name);
    return model;
  }

  listModels(tenantId: string, options: { search?: string; limit: number; offset: number }) {
    return this.models.list(tenantId, options);
  }

  async updateModel(principal: Principal, name: string, fields: ModelFields): Promise<Model> {
    const model = await this.getModel(principal.tenantId, name);
    const updated = await this.models.update(principal.tenantId, model.id, fields);
    await this.audit.record(principal.tenantId, principal, { action: 'model.updated', targetType: 'model', targetId: model.id, details: { ...fields } });
    return updated;
  }

  async deleteModel(principal: Principal, name: string): Promise<void> {
    const model = await this.getModel(principal.tenantId, name);
    const versionIds = await this.models.delete(principal.tenantId, model.id);
    await this.audit.record(principal.tenantId, principal, { action: 'model.deleted', targetType: 'model', targetId: model.id, details: { name, versions: versionIds.length } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: name, change: 'model_deleted' });
  }

  listVersions(tenantId: string, model: Model): Promise<ModelVersion[]> {
    return this.versions.list(tenantId, model.id);
  }

  listReadyVersions(tenantId: string) {
    return this.versions.listReadyWithModels(tenantId);
  }

  listAliases(tenantId: string, model: Model): Promise<ModelAlias[]> {
    return this.aliases.list(tenantId, model.id);
  }

  /**
   * `{v}` of a URL: a number or an alias. Without one: alias `production` if set, else the newest
   * ready version (KServe and MLflow users expect both).
   */
  async resolveVersion(tenantId: string, modelName: string, reference?: string): Promise<{ model: Model; version: ModelVersion }> {
    const model = await this.getModel(tenantId, modelName);
    return { model, version: await this.resolveVersionOf(tenantId, model, reference) };
  }

  async resolveVersionOf(tenantId: string, model: Model, reference?: string): Promise<ModelVersion> {
    if (reference === undefined) {
      const production = await this.aliases.find(tenantId, model.id, 'production');
      const version = production ? await this.versionById(tenantId, model, production.versionId) : await this.versions.findLatestReady(tenantId, model.id);
      if (!version) throw new NoReadyVersionError(model.name);
      return version;
    }
    const parsed = parseVersionReference(reference);
    const version =
      'number' in parsed
        ? await this.versions.findByNumber(tenantId, model.id, parsed.number)
        : await this.aliases.find(tenantId, model.id, parsed.alias).then((alias) => alias && this.versionById(tenantId, model, alias.versionId));
    if (!version) throw new VersionNotFoundError(model.name, reference);
    return version;
  }

  /** Serving settings live in the metadata: gateways reload the version when it changes. */
  async updateVersion(principal: Principal, modelName: string, reference: string, fields: { description?: string; metadata?: Record<string, unknown> }): Promise<ModelVersion> {
    const { model, version } = await this.resolveVersion(principal.tenantId, modelName, reference);
    const metadata = fields.metadata ? ({ ...(version.metadata as object), ...fields.metadata } as Prisma.InputJsonValue) : undefined;
    const updated = await this.versions.update(principal.tenantId, version.id, { description: fields.description, metadata });
    await this.audit.record(principal.tenantId, principal, { action: 'model_version.updated', targetType: 'model_version', targetId: version.id, details: { model: modelName, version: version.number } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'version_updated' });
    return updated;
  }

  /**
   * Replaces the version's pipeline (null removes it), checked against its signature. Gateways only
   * forget the resolution: the loaded model stays, since the pipeline runs around it.
   */
  async setPipeline(principal: Principal, modelName: string, reference: string, body: unknown | null): Promise<ModelVersion> {
    const { model, version } = await this.resolveVersion(principal.tenantId, modelName, reference);
    const pipeline = body === null ? Prisma.DbNull : (parsePipeline(body, version.signature as unknown as ModelSignature) as Prisma.InputJsonValue);
    const updated = await this.versions.update(principal.tenantId, version.id, { pipeline });
    await this.audit.record(principal.tenantId, principal, { action: body === null ? 'model_version.pipeline_removed' : 'model_version.pipeline_set', targetType: 'model_version', targetId: version.id, details: { model: modelName, version: version.number } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'pipeline_updated' });
    return updated;
  }

  async deleteVersion(principal: Principal, modelName: string, reference: string): Promise<void> {
    const { model, version } = await this.resolveVersion(principal.tenantId, modelName, reference);
    const aliases = await this.aliases.pointingAt(principal.tenantId, version.id);
    if (aliases.length) throw new VersionInUseError(modelName, version.number, aliases.map((alias) => alias.name));
    await this.versions.delete(principal.tenantId, version);
    await this.audit.record(principal.tenantId, principal, { action: 'model_version.deleted', targetType: 'model_version', targetId: version.id, details: { model: modelName, version: version.number } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'version_deleted' });
  }

  async setAlias(principal: Principal, modelName: string, alias: string, versionNumber: number): Promise<{ alias: ModelAlias; version: ModelVersion }> {
    const model = await this.getModel(principal.tenantId, modelName);
    const version = await this.versions.findByNumber(principal.tenantId, model.id, versionNumber);
    if (!version) throw new VersionNotFoundError(modelName, String(versionNumber));
    const previous = await this.aliases.find(principal.tenantId, model.id, alias);
    const saved = await this.aliases.set(principal.tenantId, model.id, alias, version.id);
    await this.audit.record(principal.tenantId, principal, { action: 'model_alias.set', targetType: 'model', targetId: model.id, details: { model: modelName, alias, version: versionNumber, previousVersionId: previous?.versionId ?? null } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'alias_moved' });
    return { alias: saved, version };
  }

  async deleteAlias(principal: Principal, modelName: string, alias: string): Promise<void> {
    const model = await this.getModel(principal.tenantId, modelName);
    if (!(await this.aliases.delete(principal.tenantId, model.id, alias))) throw new AliasNotFoundError(modelName, alias);
    await this.audit.record(principal.tenantId, principal, { action: 'model_alias.deleted', targetType: 'model', targetId: model.id, details: { model: modelName, alias } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'alias_deleted' });
  }

  /** The decrypted artifact of a version, streamed, with its SHA-256 for the ETag. */
  async openArtifact(tenantId: string, modelName: string, reference: string) {
    const { version } = await this.resolveVersion(tenantId, modelName, reference);
    if (!version.artifactId) throw new VersionNotFoundError(modelName, reference);
    return { version, stream: () => this.artifacts.openReadStream(tenantId, version.artifactId!) };
  }

  /** The version row as it is now, or null once deleted. */
  findVersionById(tenantId: string, modelId: string, versionId: string): Promise<ModelVersion | null> {
    return this.versions.findById(tenantId, modelId, versionId);
  }

  private versionById(tenantId: string, model: Model, versionId: string): Promise<ModelVersion | null> {
    return this.versions.findById(tenantId, model.id, versionId);
  }
}
