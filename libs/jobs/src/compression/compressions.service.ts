import { Injectable } from '@nestjs/common';
import { Prisma } from '@maas/db';
import { DomainError } from '@maas/errors';
import { AuditLog, Principal } from '@maas/identity';
import { ModelRegistry } from '@maas/registry';
import { CompressionRefusedError } from '@maas/runtime';
import { validateInputs, type ModelSignature } from '@maas/tensor';
import { TrainingQueue } from '../queue/training-queue';
import { QueueUnavailableError } from '../training/training-errors';
import { VersionJobsRepository, type NamedVersionJob } from '../jobs/version-jobs.repository';
import { compressionRequestSchema, type CompressionRequest } from './compression-request';
import { sampleInputs } from './compression-samples';
import { compressionView } from './compression-view';
import type { CompressionPlan } from './compression-plan';

/** ONNX's protobuf limit: a model beyond it keeps its weights in external files. */
const MAX_COMPRESSIBLE_BYTES = 2 ** 31;

/** Compression jobs: checked, queued on the training queue, and shown like any job. */
@Injectable()
export class CompressionsService {
  constructor(
    private readonly jobs: VersionJobsRepository,
    private readonly registry: ModelRegistry,
    private readonly queue: TrainingQueue,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, modelName: string, reference: string, body: unknown) {
    const { tenantId } = principal;
    const request = parseRequest(body);
    const { model, version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    if (Number(version.sizeBytes) >= MAX_COMPRESSIBLE_BYTES) throw new CompressionRefusedError(`version ${version.number} is over 2 GB: compressing models with external data is not supported yet`);
    // Samples that do not fit the signature are a 400 now, not a failed job later.
    if (request.samples) checkSamples(version.signature as unknown as ModelSignature, request.samples);
    const plan: CompressionPlan = { request, model: model.name, versionNumber: version.number, format: version.runtime === 'ONNX' ? 'onnx' : 'tfjs' };
    const job = await this.jobs.create(tenantId, 'COMPRESSION', { modelId: model.id, versionId: version.id, createdByKeyId: principal.apiKeyId, spec: plan as unknown as Prisma.InputJsonValue });
    try {
      await this.queue.enqueue({ tenantId, jobId: job.id }, 'compress');
    } catch (error) {
      await this.jobs.delete(tenantId, job.id);
      throw new QueueUnavailableError(error);
    }
    await this.audit.record(tenantId, principal, { action: 'compression.created', targetType: 'model_version', targetId: version.id, details: { model: model.name, version: version.number, method: request.method, compression: job.id } });
    return this.get(tenantId, job.id);
  }

  async listForVersion(tenantId: string, modelName: string, reference: string) {
    const { version } = await this.registry.resolveVersion(tenantId, modelName, reference);
    return (await this.jobs.listForVersion(tenantId, 'COMPRESSION', version.id)).map(compressionView);
  }

  async get(tenantId: string, id: string) {
    return compressionView(await this.find(tenantId, id));
  }

  async find(tenantId: string, id: string): Promise<NamedVersionJob> {
    const job = await this.jobs.find(tenantId, 'COMPRESSION', id);
    if (!job) throw new CompressionNotFoundError(id);
    return job;
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
  throw new InvalidCompressionRequestError(parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`));
}

function checkSamples(signature: ModelSignature, samples: Record<string, unknown[]>): void {
  const names = signature.inputs.map((spec) => spec.name);
  const problems = [...names.filter((name) => !(name in samples)).map((name) => `samples: missing input "${name}"`), ...Object.keys(samples).filter((name) => !names.includes(name)).map((name) => `samples: the model has no input "${name}" (its inputs: ${names.join(', ')})`)];
  if (problems.length) throw new InvalidCompressionRequestError(problems);
  validateInputs(sampleInputs(signature, samples), signature);
}
