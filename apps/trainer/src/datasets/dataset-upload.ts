import { Readable } from 'node:stream';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DATASET_FORMATS, DatasetFormat } from '@maas/jobs';
import { DATASET_BODY_TYPES } from '@maas/service';

const FORMAT_OF_TYPE: Record<string, DatasetFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl', 'application/jsonl': 'jsonl' };

/** The uploaded file as a stream, and its format: `?format=`, else from the Content-Type or the file name. */
export async function readDatasetUpload(request: FastifyRequest, declaredFormat: string | undefined): Promise<{ source: AsyncIterable<Uint8Array>; format: DatasetFormat }> {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType === 'multipart/form-data') {
    const file = await request.file();
    if (!file || file.fieldname !== 'file') throw new BadRequestException('the multipart upload needs one part named "file" holding the dataset');
    return { source: file.file, format: checkedFormat(declaredFormat ?? (file.filename.toLowerCase().endsWith('.csv') ? 'csv' : file.filename.match(/\.(jsonl|ndjson)$/i) ? 'jsonl' : undefined)) };
  }
  if (!DATASET_BODY_TYPES.includes(contentType)) throw new UnsupportedMediaTypeException(`Content-Type must be text/csv, application/x-ndjson or multipart/form-data (one "file" part); got "${contentType || 'none'}"`);
  return { source: request.body as Readable, format: checkedFormat(declaredFormat ?? FORMAT_OF_TYPE[contentType]) };
}

function checkedFormat(format: string | undefined): DatasetFormat {
  if (format === undefined) throw new BadRequestException('cannot tell the dataset format: add ?format=csv or ?format=jsonl');
  if (!DATASET_FORMATS.includes(format as DatasetFormat)) throw new BadRequestException(`format must be csv or jsonl, got "${format}"`);
  return format as DatasetFormat;
}
