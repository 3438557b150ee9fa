import { Injectable } from '@nestjs/common';
import { describeIssues, DomainError } from '@maas/errors';
import type { Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { CompressionRefusedError, MAX_COMPRESSIBLE_BYTES } from '@maas/runtime';
import { validateInputs, type ModelSignature } from '@maas/tensor';
import { VersionJobs } from '../jobs/version-jobs';
import type { NamedVersionJob } from '../jobs/version-jobs.repository';
import { compressionRequestSchema, type CompressionRequest } from './compression-request';
import { sampleInputs } from './compression-samples';
import { compressionView } from './compression-view';
import type { CompressionPlan } from './compression-plan';


/** Compression jobs: checked, then queued on the training queue and shown like any job. */
@Injectable()
export class CompressionsService {
  constructor(
    private readonly jobs: VersionJobs,
    private readonly registry: ModelRegistry,
  ) {}

  async create(principal: Principal, modelName: string, reference: string, body: unknown) {
    const request = parseRequest(body);
    const { model, version } = await this.registry.resolveVersion(principal.tenantId, modelName, reference);
    if (Number(version.sizeBytes) >= MAX_COMPRESSIBLE_BYTES) throw new CompressionRefusedError(`version ${version.number} is over 2 GB: compressing models with external data is not supported yet`);
    // Samples that do not fit the signature are a 400 now, not a failed job later.
    if (request.samples) checkSamples(version.signature as unknown as ModelSignature, request.samples);
    const plan: CompressionPlan = { request, model: model.name, versionNumber: version.number, format: version.runtime === 'ONNX' ? 'onnx' : 'tfjs' };
    const job = await this.jobs.start(principal, 'COMPRESSION', { modelId: model.id, versionId: version.id, spec: plan }, { action: 'compression.created', details: { model: model.name, version: version.number, method: request.method } });
    return this.get(principal.tenantId, job.id);
  }

  async listForVersion(tenantId: string, modelName: string, reference: string) {
    return (await this.jobs.listForVersion(tenantId, 'COMPRESSION', modelName, reference)).map(compressionView);
  }

  async get(tenantId: string, id: string) {
    return compressionView(await this.find(tenantId, id));
  }

  find(tenantId: string, id: string): Promise<NamedVersionJob> {
    return this.jobs.find(tenantId, 'COMPRESSION', id, () => new CompressionNotFoundError(id));
  }
}

export class CompressionNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', 'COMPRESSION_NOT_FOUND', `Compression "${id}" not found`);
  }
}

export class InvalidCompressionRequestError extends DomainError {
  constructor(problems: string[]) {
    super('invalid', 'INVALID_COMPRESSION_REQUEST', `The compression cannot run: ${problems.join('; ')}`);
  }
}

function parseRequest(body: unknown): CompressionRequest {
  const parsed = compressionRequestSchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidCompressionRequestError(describeIssues(parsed.error.issues));
}

function checkSamples(signature: ModelSignature, samples: Record<string, unknown[]>): void {
  const names = signature.inputs.map((spec) => spec.name);
  const problems = [...names.filter((name) => !(name in samples)).map((name) => `samples: missing input "${name}"`), ...Object.keys(samples).filter((name) => !names.includes(name)).map((name) => `samples: the model has no input "${name}" (its inputs: ${names.join(', ')})`)];
  if (problems.length) throw new InvalidCompressionRequestError(problems);
  validateInputs(sampleInputs(signature, samples), signature);
}
