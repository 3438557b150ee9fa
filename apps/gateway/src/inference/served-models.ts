import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { isDatabaseUnavailable, ModelVersion } from '@maas/db';
import { ModelEvents, ModelRegistry } from '@maas/registry';
import { BatchingSettings, ModelCache, ModelHosts, ServedModel } from '@maas/runtime';
import { ArtifactStore } from '@maas/storage';
import { InferenceMetrics } from '../metrics/inference-metrics';

/**
 * What a loaded session costs beyond its weights (ONNX Runtime's session state, the batcher, the
 * statistics), counted against MAAS_MODEL_CACHE_BYTES with the artifact's size. Measured by the
 * gateway bench's density rows: 0.23 MB of RSS per 75 KB model between the 100th and the 1,000th.
 */
const SESSION_OVERHEAD_BYTES = 256 * 1024;

/** Where a version's sessions go and what they count against the cache. */
interface Placement {
  tenantId: string;
  key: string;
  replicas: number;
  costBytes: number;
}

/** Changes after which a loaded version must go: it no longer exists, or its serving settings changed. */
const UNLOADING_CHANGES = new Set(['version_deleted', 'model_deleted', 'version_updated']);

/**
 * The gateway's loaded models: loaded on first use (decrypted in memory, never on disk) into the
 * process's shared model hosts, kept in an LRU bounded by MAAS_MODEL_CACHE_BYTES, unloaded at once
 * when their version changes or goes, and loaded again on next use if their host thread died.
 */
@Injectable()
export class ServedModels implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ServedModels.name);
  private readonly cache: ModelCache<ServedModel>;
  private readonly hosts: ModelHosts;
  /** Set once a load under MAAS_DEVICE=auto found no CUDA: later loads skip the failing attempt (~20 ms). */
  private cudaUnavailable = false;
  /** The version row each loaded model was loaded from, to check it again after missed notifications. */
  private readonly loadedFrom = new Map<string, { tenantId: string; version: ModelVersion }>();
  private readonly placements = new WeakMap<ModelVersion, Placement>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly events: ModelEvents,
    private readonly registry: ModelRegistry,
    private readonly config: AppConfig,
    private readonly metrics: InferenceMetrics,
  ) {
    this.cache = new ModelCache(config.modelCacheBytes);
    this.hosts = new ModelHosts({ sharedHosts: config.modelWorkers, dedicatedAboveBytes: config.dedicatedWorkerBytes, hostNice: config.modelWorkerNice });
  }

  async onModuleInit(): Promise<void> {
    await this.events.subscribe((change) => {
      if (UNLOADING_CHANGES.has(change.change)) this.cache.evict((key) => key.startsWith(modelKeyPrefix(change.tenantId, change.modelId)));
    });
    this.events.onChangesMissed(() => void this.recheckLoaded());
  }

  get(tenantId: string, modelName: string, version: ModelVersion): Promise<ServedModel> {
    const { key, replicas, costBytes } = this.placementOf(tenantId, version);
    return this.cache.get(key, costBytes, () => {
      this.loadedFrom.set(key, { tenantId, version });
      return this.load(tenantId, modelName, version, replicas, () => this.cache.evict((loaded) => loaded === key));
    });
  }

  /**
   * The version's cache key, replicas and cost, worked out once per version row: ResolvedVersions
   * hands every request for a version the same row object, and building its 110-character key per
   * request was a string to allocate and hash on the hot path.
   */
  private placementOf(tenantId: string, version: ModelVersion): Placement {
    let placement = this.placements.get(version);
    if (!placement || placement.tenantId !== tenantId) {
      const replicas = this.hosts.replicasFor(Number(version.sizeBytes), this.config.workersPerModel);
      placement = { tenantId, key: cacheKey(tenantId, version), replicas, costBytes: replicas * (Number(version.sizeBytes) + SESSION_OVERHEAD_BYTES) };
      this.placements.set(version, placement);
    }
    return placement;
  }

  /**
   * After the notification connection was lost: unloads each loaded version that was deleted or
   * whose serving settings changed meanwhile. A version that cannot be checked (the database is
   * away again) stays loaded and is checked at the next reconnect.
   */
  private async recheckLoaded(): Promise<void> {
    for (const [key, { tenantId, version }] of this.loadedFrom) {
      if (!this.cache.has(key)) {
        this.loadedFrom.delete(key);
        continue;
      }
      try {
        const current = await this.registry.findVersionById(tenantId, version.modelId, version.id);
        if (!current || JSON.stringify(current.metadata) !== JSON.stringify(version.metadata)) this.cache.evict((loaded) => loaded === key);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
      }
    }
  }

  private async load(tenantId: string, modelName: string, version: ModelVersion, replicas: number, onLost: () => void): Promise<ServedModel> {
    const started = performance.now();
    const series = this.metrics.of(tenantId, modelName, version.number);
    const served = await ServedModel.load({
      name: modelName,
      format: version.runtime === 'ONNX' ? 'onnx' : 'tfjs',
      bytes: await this.artifacts.openChunks(tenantId, version.artifactId!),
      device: this.cudaUnavailable ? 'cpu' : this.config.device,
      hosts: this.hosts,
      replicas,
      threadsPerSession: this.config.threadsPerWorker,
      onLost,
      batching: (version.metadata as { batching?: Partial<BatchingSettings> }).batching,
      onExecution: (_items, computeNs) => series.recordExecution(computeNs),
    });
    const { provider, backend, cudaUnavailable } = served.runtimeInfo as { provider?: string; backend?: string; cudaUnavailable?: string };
    if (cudaUnavailable) this.cudaUnavailable = true;
    this.logger.log(`loaded ${modelName} v${version.number} on ${provider ?? backend} in ${Math.round(performance.now() - started)} ms${cudaUnavailable ? ` (CUDA unavailable: ${cudaUnavailable})` : ''}`);
    return served;
  }

  isLoaded(tenantId: string, version: ModelVersion): boolean {
    return this.cache.has(cacheKey(tenantId, version));
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.clear();
    await this.hosts.close();
  }
}

/** Keys start with tenant and model, so a model's versions can be dropped together. */
function modelKeyPrefix(tenantId: string, modelId: string): string {
  return `${tenantId}:${modelId}:`;
}

function cacheKey(tenantId: string, version: ModelVersion): string {
  return `${modelKeyPrefix(tenantId, version.modelId)}${version.id}`;
}
