import { Injectable } from '@nestjs/common';
import { DomainError, ErrorKind } from '@maas/errors';
import type { Principal } from '@maas/identity';
import { type EncodedResponse, InferenceFailedError, type ServedModel } from '@maas/runtime';
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
    const account = unaccounted(request.inputs[0]?.shape[0] ?? 1, request.inputs.reduce((sum, input) => sum + byteSize(input), 0));
    try {
      // Inside the accounting: a request refused for its inputs counts as a failed request of the model.
      validateInputs(request.inputs, served.signature);
      validateRequestedOutputs(request.outputs, served.signature);
      const result = await served.infer(request.inputs, request.outputs?.map((output) => output.name), this.limits(abandoned));
      const outputs = classifyRequested(result.outputs, request.outputs);
      account.queueNs = result.queueNs;
      succeeded(account, outputs.reduce((sum, output) => sum + byteSize(output), 0));
      return { model_name: modelName, model_version: String(version.number), id: request.id, parameters: request.parameters, outputs };
    } catch (error) {
      throw failed(error, account, modelName);
    } finally {
      this.record(principal, { modelId: model.id, modelName, versionNumber: version.number }, served, started, account);
    }
  }

  /**
   * A KServe V2 JSON body as it arrived: the model's host decodes, checks, runs and encodes it
   * (ServedModel.inferJson), so this thread never parses its numbers. The same resolution, limits,
   * errors and accounting as `infer`; the answer is the response ready to send.
   */
  async inferJson(principal: Principal, modelName: string, reference: string | undefined, body: Uint8Array, abandoned?: () => boolean): Promise<EncodedResponse> {
    const started = performance.now();
    const { model, version } = await this.resolved.resolve(principal.tenantId, modelName, reference);
    const served = await this.served.get(principal.tenantId, modelName, version);
    const account = unaccounted(1, 0);
    try {
      const { answer, queueNs } = await served.inferJson({ body, modelName, modelVersion: String(version.number) }, this.limits(abandoned));
      Object.assign(account, { items: answer.rows, bytesIn: answer.bytesIn, queueNs });
      if (!answer.ok) throw answer.error.kind ? new DomainError(answer.error.kind, answer.error.code ?? 'INVALID', answer.error.message) : new InferenceFailedError(modelName, answer.error.message);
      succeeded(account, answer.bytesOut);
      return answer.response;
    } catch (error) {
      throw failed(error, account, modelName);
    } finally {
      this.record(principal, { modelId: model.id, modelName, versionNumber: version.number }, served, started, account);
    }
  }

  private limits(abandoned?: () => boolean) {
    return { timeoutMs: this.config.inferTimeoutMs, abandoned };
  }

  /** Statistics, metrics and usage of one request, however it ended. */
  private record(principal: Principal, { modelId, modelName, versionNumber }: { modelId: string; modelName: string; versionNumber: number }, served: ServedModel, started: number, account: Accounting): void {
    const totalNs = (performance.now() - started) * 1e6;
    const { ok, items, queueNs, bytesIn, bytesOut, outcome } = account;
    served.statistics.recordRequest(ok, totalNs, queueNs);
    this.metrics.of(principal.tenantId, modelName, versionNumber).recordRequest({ ok, items, totalNs, queueNs });
    this.usage.record({ tenantId: principal.tenantId, apiKeyId: principal.apiKeyId, modelId, versionNumber, items, bytesIn, bytesOut, latencyMs: totalNs / 1e6, outcome, at: Date.now() });
  }
}

/** What one request is counted as: filled in as it runs, recorded when it ends. */
interface Accounting {
  ok: boolean;
  outcome: UsageOutcome;
  items: number;
  bytesIn: number;
  bytesOut: number;
  queueNs: number;
}

function unaccounted(items: number, bytesIn: number): Accounting {
  return { ok: false, outcome: 'server_error', items, bytesIn, bytesOut: 0, queueNs: 0 };
}

function succeeded(account: Accounting, bytesOut: number): void {
  account.ok = true;
  account.outcome = 'ok';
  account.bytesOut = bytesOut;
}

/** The error to answer with; a caller's mistake is counted as a client error. */
function failed(error: unknown, account: Accounting, modelName: string): unknown {
  if (error instanceof DomainError && CALLER_ERRORS.has(error.kind)) account.outcome = 'client_error';
  return error instanceof DomainError ? error : new InferenceFailedError(modelName, (error as Error).message);
}
