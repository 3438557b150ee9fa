import { Readable } from 'node:stream';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { encodeTfjsBundle, isModelFormat, ModelFormat, partsFromModelFiles } from '@maas/runtime';
import { VersionUpload } from '@maas/registry';
import { RAW_BODY_TYPES } from '@maas/service';
import { ArtifactTooLargeError } from '@maas/storage';
import { filesFromArchive, isArchive } from './archive-files';

const FORMAT_HEADER = 'x-model-format';
const PIPELINE_HEADER = 'x-model-pipeline';

/**
 * Turns an upload request into the bytes to store. ONNX as a raw body streams straight through;
 * a TF.js model (multipart files, a .zip or a .tar) is gathered in memory and packed into one
 * bundle, since its files must all be present before it can be checked.
 */
export async function readVersionUpload(request: FastifyRequest, maxBytes: number): Promise<VersionUpload> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new ArtifactTooLargeError(maxBytes);
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType === 'multipart/form-data') return readMultipart(request, maxBytes);
  if (!RAW_BODY_TYPES.includes(contentType)) {
    throw new UnsupportedMediaTypeException(`Content-Type must be application/octet-stream (with ${FORMAT_HEADER}: onnx|tfjs), multipart/form-data, application/zip or application/x-tar; got "${contentType || 'none'}"`);
  }
  const body = request.body as Readable;
  const format = contentType === 'application/octet-stream' ? formatFromHeader(request) : 'tfjs';
  const description = headerText(request, 'x-model-description');
  const pipeline = pipelineJson(headerText(request, PIPELINE_HEADER), PIPELINE_HEADER);
  if (format === 'onnx') return { format, source: body, contentType: 'application/octet-stream', description, pipeline, sizeHint: Number.isFinite(declared) ? declared : undefined };
  return { ...tfjsUpload(await filesFromArchive(await readAll(body, maxBytes), maxBytes), description), pipeline };
}

async function readMultipart(request: FastifyRequest, maxBytes: number): Promise<VersionUpload> {
  const files = new Map<string, Uint8Array>();
  const fields: Record<string, string> = {};
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    const data = await part.toBuffer();
    total += data.byteLength;
    if (total > maxBytes) throw new ArtifactTooLargeError(maxBytes);
    files.set(part.filename || part.fieldname, data);
  }
  if (files.size === 0) throw new BadRequestException('the multipart upload has no file: send the .onnx file, or model.json and its weight files');
  const format = chooseMultipartFormat(fields.format ?? headerText(request, FORMAT_HEADER), files);
  const pipeline = pipelineJson(fields.pipeline, 'the "pipeline" field');
  if (format === 'tfjs') return { ...tfjsUpload(files.size === 1 && isArchive([...files.values()][0]) ? await filesFromArchive([...files.values()][0], maxBytes) : files, fields.description), pipeline };
  if (files.size !== 1) throw new BadRequestException('an ONNX upload is a single file');
  return { format, source: Readable.from([[...files.values()][0]]), contentType: 'application/octet-stream', description: fields.description, pipeline };
}

function chooseMultipartFormat(declared: string | undefined, files: Map<string, Uint8Array>): ModelFormat {
  if (declared !== undefined) return checkedFormat(declared);
  const names = [...files.keys()];
  if (names.some((name) => name.endsWith('model.json')) || (files.size === 1 && isArchive([...files.values()][0]))) return 'tfjs';
  if (files.size === 1 && names[0].toLowerCase().endsWith('.onnx')) return 'onnx';
  throw new BadRequestException('cannot tell the model format: add a "format" field (onnx or tfjs)');
}

function tfjsUpload(files: Map<string, Uint8Array>, description?: string): VersionUpload {
  const bundle = encodeTfjsBundle(partsFromModelFiles(files));
  return { format: 'tfjs', source: Readable.from([bundle]), contentType: 'application/vnd.maas.tfjs-bundle', description };
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of stream) {
    total += (part as Buffer).byteLength;
    if (total > maxBytes) throw new ArtifactTooLargeError(maxBytes);
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

function formatFromHeader(request: FastifyRequest): ModelFormat {
  const declared = headerText(request, FORMAT_HEADER);
  if (declared === undefined) throw new BadRequestException(`a raw upload needs the ${FORMAT_HEADER} header: onnx or tfjs`);
  return checkedFormat(declared);
}

function checkedFormat(declared: string): ModelFormat {
  const format = declared.trim().toLowerCase();
  if (!isModelFormat(format)) throw new BadRequestException(`model format must be onnx or tfjs, got "${declared}"`);
  return format;
}

/** The pipeline sent with an upload, as JSON text (a multipart field or a header). */
function pipelineJson(text: string | undefined, where: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestException(`${where} must be JSON (a pipeline: {"preprocess": {...}, "postprocess": {...}})`);
  }
}

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
