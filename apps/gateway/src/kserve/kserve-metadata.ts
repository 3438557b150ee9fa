import { Injectable } from '@nestjs/common';
import { Model, ModelVersion } from '@maas/db';
import { ModelRegistry } from '@maas/registry';
import { ModelStatistics, PLATFORM_OF_FORMAT } from '@maas/runtime';
import type { ModelSignature } from '@maas/tensor';
import { ResolvedVersions } from '../inference/resolved-versions';
import { ServedModels } from '../inference/served-models';

/** Model metadata, readiness and statistics as the Open Inference Protocol and Triton present them. */
@Injectable()
export class KserveMetadata {
  constructor(
    private readonly resolved: ResolvedVersions,
    private readonly registry: ModelRegistry,
    private readonly served: ServedModels,
  ) {}

  async metadata(tenantId: string, modelName: string, reference?: string) {
    const { model, version } = await this.resolved.resolve(tenantId, modelName, reference);
    const versions = await this.registry.listVersions(tenantId, model);
    const signature = version.signature as unknown as ModelSignature;
    return {
      name: model.name,
      versions: versions.filter((candidate) => candidate.status === 'READY').map((candidate) => String(candidate.number)),
      platform: PLATFORM_OF_FORMAT[version.runtime === 'ONNX' ? 'onnx' : 'tfjs'],
      inputs: signature.inputs,
      outputs: signature.outputs,
      parameters: { version: String(version.number), format: formatOf(version), runtime: (version.metadata as { runtime?: unknown }).runtime },
    };
  }

  async ready(tenantId: string, modelName: string, reference?: string) {
    const { model, version } = await this.resolved.resolve(tenantId, modelName, reference);
    return { name: model.name, version: String(version.number), ready: version.status === 'READY' };
  }

  async statistics(tenantId: string, modelName: string, reference?: string) {
    const { model, version } = await this.resolved.resolve(tenantId, modelName, reference);
    return { model_stats: [await this.versionStatistics(tenantId, model, version)] };
  }

  /** Triton's `GET v2/models/stats`: every ready version of the tenant's models. */
  async allStatistics(tenantId: string) {
    const versions = await this.registry.listReadyVersions(tenantId);
    return { model_stats: await Promise.all(versions.map((version) => this.versionStatistics(tenantId, version.model, version))) };
  }

  private async versionStatistics(tenantId: string, model: Model, version: ModelVersion) {
    // A version not loaded here has served nothing in this process: empty statistics, same shape.
    const statistics = this.served.isLoaded(tenantId, version) ? (await this.served.get(tenantId, model.name, version)).statistics : new ModelStatistics();
    return statistics.toTriton(model.name, String(version.number));
  }
}

/** onnx, or the TF.js format (layers-model, graph-model): versions uploaded before graph models were served are layers models. */
function formatOf(version: ModelVersion): string {
  if (version.runtime === 'ONNX') return 'onnx';
  return (version.metadata as { runtime?: { format?: string } }).runtime?.format ?? 'layers-model';
}
