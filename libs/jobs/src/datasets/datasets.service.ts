import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { Dataset, Prisma } from '@maas/db';
import { AuditLog, Principal } from '@maas/identity';
import { ArtifactStore } from '@maas/storage';
import { DatasetInUseError, DatasetNotFoundError, InvalidDatasetError } from './dataset-errors';
import { readDataset } from './dataset-reader';
import { DatasetFormat, DatasetSchema } from './dataset-schema';
import { DatasetsRepository } from './datasets.repository';
import { EXAMPLES_CONTENT_TYPE, ExampleEncoder } from './example-encoding';

const CONTENT_TYPES: Record<DatasetFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson' };

/**
 * Datasets: the file streams once, into encrypted storage and through the validating reader at the
 * same time; the row is written only when both finished, so a dataset that fails validation (or
 * an upload cut short) leaves nothing behind.
 */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly artifacts: ArtifactStore,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async upload(principal: Principal, upload: { name: string; format: DatasetFormat; labelColumn: string; source: AsyncIterable<Uint8Array> }): Promise<Dataset> {
    const { tenantId } = principal;
    if (await this.datasets.find(tenantId, upload.name)) throw new InvalidDatasetError(`a dataset named "${upload.name}" exists already: pick another name or delete it first`);
    const { artifact, examples, schema } = await this.storeAndRead(tenantId, upload);
    const dataset = await this.datasets
      .create(tenantId, { name: upload.name, format: upload.format, labelColumn: upload.labelColumn, rows: schema.rows, sizeBytes: artifact.sizeBytes, schema: schema as unknown as Prisma.InputJsonValue, artifactId: artifact.id, examplesArtifactId: examples.id })
      .catch(async (error: unknown) => {
        await this.artifacts.delete(tenantId, artifact.id);
        await this.artifacts.delete(tenantId, examples.id);
        throw error;
      });
    await this.audit.record(tenantId, principal, { action: 'dataset.created', targetType: 'dataset', targetId: dataset.id, details: { name: dataset.name, rows: schema.rows } });
    return dataset;
  }

  async get(tenantId: string, reference: string): Promise<Dataset> {
    const dataset = await this.datasets.find(tenantId, reference);
    if (!dataset) throw new DatasetNotFoundError(reference);
    return dataset;
  }

  list(tenantId: string, options: { limit: number; offset: number }): Promise<Dataset[]> {
    return this.datasets.list(tenantId, options);
  }

  async delete(principal: Principal, reference: string): Promise<void> {
    const dataset = await this.get(principal.tenantId, reference);
    const active = await this.datasets.countActiveJobs(principal.tenantId, dataset.id);
    if (active > 0) throw new DatasetInUseError(dataset.name, active);
    await this.datasets.delete(principal.tenantId, dataset);
    await this.audit.record(principal.tenantId, principal, { action: 'dataset.deleted', targetType: 'dataset', targetId: dataset.id, details: { name: dataset.name } });
  }

  /** The decrypted file, for the trainer. */
  async read(tenantId: string, dataset: Dataset): Promise<Buffer> {
    if (!dataset.artifactId) throw new DatasetNotFoundError(dataset.name);
    return this.artifacts.readAll(tenantId, dataset.artifactId);
  }

  /**
   * The file streams into storage and through the reader, which checks it and encodes its examples
   * into a second artifact as it goes; both are deleted unless everything succeeds.
   */
  private async storeAndRead(tenantId: string, upload: { format: DatasetFormat; labelColumn: string; source: AsyncIterable<Uint8Array> }) {
    const parsed = new PassThrough();
    const encoder = new ExampleEncoder();
    const storingExamples = this.artifacts.write(tenantId, encoder.stream, { maxBytes: Number.MAX_SAFE_INTEGER, contentType: EXAMPLES_CONTENT_TYPE });
    let storageError: unknown;
    let abandoned = false;
    // A failed examples write must not leave the reader waiting for a drain that never comes.
    storingExamples.catch((error: unknown) => {
      if (abandoned) return;
      storageError = error;
      encoder.abandon(error as Error);
    });
    const reading = readDataset(parsed, { format: upload.format, labelColumn: upload.labelColumn, collect: false, encoder });
    let readError: unknown;
    reading.catch((error: unknown) => (readError = error));
    const feed = async (chunk: Buffer) => {
      if (readError) throw readError;
      if (!parsed.write(chunk)) await Promise.race([once(parsed, 'drain'), reading.then(() => undefined, () => undefined)]);
      if (readError) throw readError;
    };
    const abandonExamples = async () => {
      abandoned = true;
      encoder.abandon(new Error('the dataset upload failed'));
      const examples = await storingExamples.catch(() => undefined);
      if (examples) await this.artifacts.delete(tenantId, examples.id);
    };
    let artifact;
    try {
      artifact = await this.artifacts.write(tenantId, upload.source, { maxBytes: this.config.maxUploadBytes, contentType: CONTENT_TYPES[upload.format], observeChunk: feed });
    } catch (error) {
      parsed.destroy();
      await abandonExamples();
      throw storageError ?? readError ?? error;
    }
    parsed.end();
    try {
      const { schema } = await reading;
      encoder.end();
      return { artifact, examples: await storingExamples, schema: schema as DatasetSchema };
    } catch (error) {
      await abandonExamples();
      await this.artifacts.delete(tenantId, artifact.id);
      throw storageError ?? error;
    }
  }
}
