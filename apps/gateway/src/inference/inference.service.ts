import { Injectable } from '@nestjs/common';
import { DomainError, ErrorKind } from '@maas/errors';
import type { Principal } from '@maas/identity';
import { InferenceFailedError } from '@maas/runtime';
import { byteSize, classifyRequested, InferenceRequest, InferenceResponse, validateInputs, validateRequestedOutputs } from '@maas/tensor';
import { AppConfig } from '@maas/config';
import { UsageOutcome, UsageRecorder } from '@maas/usage';
import { InferenceMetrics } from '../metrics/inference-metrics';
import { ResolvedVersions } from './resolved-versions';
import { ServedModels } from './served-models';

/** Errors that are the caller's doing (counted as client errors in usage), not the platform's. */
const CALLER_ERRORS = new Set<ErrorKind>(['invalid', 'not_found', 'too_large', 'forbidden']);

/**
 * One inference: resolve the version, load it if needed, check the request against its
 * signature, queue it in the model's batcher (with the configured deadline), and account for it
 * (statistics, metrics, usage). Knows nothing of HTTP: the KServe and predict routes decode and
 * encode around it, and say through `abandoned` when the caller has gone.
 */
@Injectable()
export class InferenceService {
  constructor(
    private readonly resolved: ResolvedVersions,
    private readonly served: ServedModels,
    private readonly metrics: InferenceMetrics,
    private readonly usage: UsageRecorder,
    private readonly config: AppConfig,
  ) {}

  async infer(principal: Principal, modelName: string, reference: string | undefined, request: InferenceRequest, abandoned?: () => boolean): Promise<InferenceResponse> {
    const started = performance.now();
    const { model, version } = await this.resolved.resolve(principal.tenantId, modelName, reference);
    const served = await this.served.get(principal.tenantId, modelName, version);
    const items = request.inputs[0]?.shape[0] ?? 1;
    let ok = false;
    let outcome: UsageOutcome = 'server_error';
    let bytesOut = 0;
    let queueNs = 0;
    try {
      // Inside the accounting: a request refused for its inputs counts as a failed request of the model.
      validateInputs(request.inputs, served.signature);
      validateRequestedOutputs(request.outputs, served.signature);
      const result = await served.infer(request.inputs, request.outputs?.map((output) => output.name), { timeoutMs: this.config.inferTimeoutMs, abandoned });
      const outputs = classifyRequested(result.outputs, request.outputs);
      ok = true;
      outcome = 'ok';
      bytesOut = outputs.reduce((sum, output) => sum + byteSize(output), 0);
      queueNs = result.queueNs;
      return { model_name: modelName, model_version: String(version.number), id: request.id, parameters: request.parameters, outputs };
    } catch (error) {
      if (error instanceof DomainError && CALLER_ERRORS.has(error.kind)) outcome = 'client_error';
      throw error instanceof DomainError ? error : new InferenceFailedError(modelName, (error as Error).message);
    } finally {
      const totalNs = (performance.now() - started) * 1e6;
      served.statistics.recordRequest(ok, totalNs, queueNs);
      this.metrics.of(principal.tenantId, modelName, version.number).recordRequest({ ok, items, totalNs, queueNs });
      const bytesIn = request.inputs.reduce((sum, input) => sum + byteSize(input), 0);
      this.usage.record({ tenantId: principal.tenantId, apiKeyId: principal.apiKeyId, modelId: model.id, versionNumber: version.number, items, bytesIn, bytesOut, latencyMs: totalNs / 1e6, outcome, at: Date.now() });
    }
  }
}
