import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import type { ModelVersion } from '@maas/db';
import { VersionUploader } from '@maas/registry';
import { compressInWorker, type CompressedModel } from '@maas/runtime';
import { ArtifactStore } from '@maas/storage';
import type { ModelSignature } from '@maas/tensor';
import { jobPrincipal } from '../jobs/training-runner';
import { FinalJobFailure, VersionJobLifecycle } from '../jobs/version-job-lifecycle';
import { VersionJobsRepository, type NamedVersionJob } from '../jobs/version-jobs.repository';
import { checkCompressed } from './compression-check';
import type { CompressionPlan } from './compression-plan';
import { sampleInputs } from './compression-samples';

const CONTENT_TYPE = { onnx: 'application/octet-stream', tfjs: 'application/vnd.maas.tfjs-bundle' } as const;

/**
 * The queue side of a compression: rewrites the version's weights, checks the result against the
 * version on sample inputs, and only when every output is within the tolerance registers it as a
 * new version (source `compression`, once per job, the parent's pipeline kept, the report in its
 * metadata). Over the tolerance the job fails with the report and no version is made.
 */
@Injectable()
export class CompressionRunner {
  constructor(
    private readonly jobs: VersionJobsRepository,
    private readonly lifecycle: VersionJobLifecycle,
    private readonly artifacts: ArtifactStore,
    private readonly uploader: VersionUploader,
    private readonly config: AppConfig,
  ) {}

  async run(tenantId: string, jobId: string, isLastAttempt: boolean): Promise<void> {
    const job = await this.jobs.find(tenantId, 'COMPRESSION', jobId);
    if (!job || !['QUEUED', 'RUNNING'].includes(job.status)) return;
    const plan = job.spec as unknown as CompressionPlan;
    await this.lifecycle.run(job, `compressing version ${plan.versionNumber} of "${plan.model}" with ${plan.request.method}`, isLastAttempt, async () => {
      const version = await this.jobs.versionOf(job);
      if (!version?.artifactId) throw new FinalJobFailure(`version ${plan.versionNumber} is gone`, 'VERSION_GONE');
      const parent = await this.artifacts.readAll(tenantId, version.artifactId);
      const compressed = await compressInWorker(plan.format, parent, plan.request.method);
      await this.lifecycle.progress(job, 0.3);
      const report = await this.report(plan, version, parent, compressed);
      const worst = report.outputs.reduce((largest, output) => (output.relativeL2 > largest.relativeL2 ? output : largest), report.outputs[0]);
      if (worst && worst.relativeL2 > plan.request.tolerance) {
        throw new FinalJobFailure(`output "${worst.name}" of the compressed model is off by a relative L2 of ${worst.relativeL2.toPrecision(3)}, over the tolerance ${plan.request.tolerance}: no version was made`, 'OVER_TOLERANCE', report);
      }
      const created = await this.register(job, plan, version, compressed, report);
      return { result: { ...report, resultVersion: created.number }, summary: `registered as version ${created.number}: ${report.sizeBytes.ratio.toFixed(2)}× smaller, worst relative L2 ${worst?.relativeL2.toPrecision(3) ?? 0}`, resultVersionId: created.id };
    });
  }

  private async report(plan: CompressionPlan, version: ModelVersion, parent: Buffer, compressed: CompressedModel) {
    const samples = sampleInputs(version.signature as unknown as ModelSignature, plan.request.samples);
    const check = await checkCompressed({ format: plan.format, parent, compressed: compressed.bytes, samples, device: this.config.device, threads: this.config.threadsPerWorker });
    return {
      method: plan.request.method,
      tolerance: plan.request.tolerance,
      sizeBytes: { parent: parent.byteLength, compressed: compressed.bytes.byteLength, ratio: parent.byteLength / compressed.bytes.byteLength },
      rewritten: { int8: compressed.int8Nodes, fp16: compressed.fp16Weights },
      samples: { rows: samples[0]?.shape[0] ?? 0, generated: !plan.request.samples },
      ...check,
    };
  }

  private register(job: NamedVersionJob, plan: CompressionPlan, parent: ModelVersion, compressed: CompressedModel, report: object) {
    return this.uploader.upload(jobPrincipal(job), plan.model, {
      format: plan.format,
      source: Readable.from([Buffer.from(compressed.bytes.buffer, compressed.bytes.byteOffset, compressed.bytes.byteLength)]),
      contentType: CONTENT_TYPE[plan.format],
      description: `${plan.request.method} compression of version ${plan.versionNumber} (job ${job.id})`,
      origin: { source: 'COMPRESSION', trainingJobId: job.id, metadata: { compressedFrom: plan.versionNumber, compressionJob: job.id, compression: report } },
      pipeline: parent.pipeline ?? undefined,
    });
  }
}
