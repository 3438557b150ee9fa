import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { Artifact, ModelVersion, Prisma, VersionSource } from '@maas/db';
import { AuditLog, Principal } from '@maas/identity';
import { ChildProcessInspection, inspectorProcesses, ModelFormat, ModelInspection } from '@maas/runtime';
import { parsePipeline, type Pipeline } from '@maas/pipeline';
import { ArtifactStore } from '@maas/storage';
import { ModelEvents } from './model-events';
import { ModelRegistry } from './model-registry.service';
import { VersionsRepository } from './versions.repository';

export interface VersionUpload {
  format: ModelFormat;
  /** The model's bytes (an ONNX file, or a TF.js bundle). */
  source: AsyncIterable<Uint8Array>;
  contentType: string;
  description?: string;
  /** A pipeline sent with the upload: checked against the signature before the version exists. */
  pipeline?: unknown;
  /** The size when the client declared it (Content-Length of a raw upload). */
  sizeHint?: number;
  /** Versions the platform made: a training job's result (registered once per job), with its metadata. */
  origin?: { source: VersionSource; trainingJobId?: string; metadata?: Record<string, unknown> };
  /** The platform's own child process already loaded these bytes in their runtime (a training job's result): no inspector is needed. */
  inspected?: ModelInspection;
}

/**
 * A new version from an upload. The bytes stream once, into encrypted storage and, at the same
 * time, into a validating child process; the version row is written only when both succeed, so a
 * failed upload (bad model, too large, client gone) leaves no version, artifact or chunk behind.
 * One inspector process waits with its runtimes loaded, so an upload does not wait for them.
 */
@Injectable()
export class VersionUploader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly inspectors = inspectorProcesses();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly versions: VersionsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly events: ModelEvents,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.inspectors.prepare();
  }

  onModuleDestroy(): void {
    this.inspectors.close();
  }

  async upload(principal: Principal, modelName: string, upload: VersionUpload): Promise<ModelVersion> {
    const model = await this.registry.getModel(principal.tenantId, modelName);
    const trainingJobId = upload.origin?.trainingJobId;
    const already = trainingJobId ? await this.versions.findByTrainingJob(principal.tenantId, trainingJobId) : null;
    if (already) return already;
    const { artifact, inspection, pipeline } = await this.storeAndInspect(principal.tenantId, upload);
    const stored = await this.deduplicate(principal.tenantId, artifact);
    const version = await this.versions
      .createNext(principal.tenantId, model.id, {
        runtime: upload.format === 'onnx' ? 'ONNX' : 'TFJS',
        artifactId: stored.id,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        signature: inspection.signature as unknown as Prisma.InputJsonValue,
        pipeline: pipeline as Prisma.InputJsonValue | undefined,
        metadata: { ...upload.origin?.metadata, format: upload.format, contentType: upload.contentType, runtime: inspection.runtimeInfo } as Prisma.InputJsonValue,
        source: upload.origin?.source ?? 'UPLOAD',
        description: upload.description,
        trainingJobId,
      })
      .catch(async (error: unknown) => {
        if (stored.id === artifact.id) await this.artifacts.delete(principal.tenantId, artifact.id);
        throw error;
      });
    await this.audit.record(principal.tenantId, principal, { action: 'model_version.created', targetType: 'model_version', targetId: version.id, details: { model: modelName, version: version.number, sha256: stored.sha256 } });
    await this.events.publish({ tenantId: principal.tenantId, modelId: model.id, model: modelName, change: 'version_created' });
    return version;
  }

  private async storeAndInspect(tenantId: string, upload: VersionUpload): Promise<{ artifact: Artifact; inspection: ModelInspection; pipeline?: Pipeline }> {
    if (upload.inspected) return this.storeInspected(tenantId, upload, upload.inspected);
    const inspector = new ChildProcessInspection(upload.format, this.config.device, upload.sizeHint, this.inspectors);
    let artifact: Artifact;
    try {
      artifact = await this.artifacts.write(tenantId, upload.source, {
        maxBytes: this.config.maxUploadBytes,
        contentType: upload.contentType,
        observeChunk: (chunk) => inspector.write(chunk),
        cacheLocally: true,
      });
    } catch (error) {
      inspector.abort();
      throw error;
    }
    try {
      const inspection = await inspector.finish().finally(() => this.inspectors.prepare());
      return { artifact, inspection, pipeline: upload.pipeline === undefined ? undefined : parsePipeline(upload.pipeline, inspection.signature) };
    } catch (error) {
      await this.artifacts.delete(tenantId, artifact.id);
      throw error;
    }
  }

  private async storeInspected(tenantId: string, upload: VersionUpload, inspection: ModelInspection) {
    const artifact = await this.artifacts.write(tenantId, upload.source, { maxBytes: this.config.maxUploadBytes, contentType: upload.contentType, cacheLocally: true });
    try {
      return { artifact, inspection, pipeline: upload.pipeline === undefined ? undefined : parsePipeline(upload.pipeline, inspection.signature) };
    } catch (error) {
      await this.artifacts.delete(tenantId, artifact.id);
      throw error;
    }
  }

  /** The same bytes uploaded twice are stored once: later versions point at the first artifact. */
  private async deduplicate(tenantId: string, artifact: Artifact): Promise<Artifact> {
    const existing = await this.artifacts.findDuplicate(tenantId, artifact);
    if (!existing) return artifact;
    await this.artifacts.delete(tenantId, artifact.id);
    return existing;
  }
}
