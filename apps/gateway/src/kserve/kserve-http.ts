import { Readable } from 'node:stream';
import { PayloadTooLargeException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EncodedResponse } from '@maas/runtime';
import { decodeBinaryRequest, encodeBinaryResponse, encodeJsonResponse, INFERENCE_HEADER_CONTENT_LENGTH, InferenceRequest, InferenceResponse, InvalidTensorError, wantsBinaryOutput } from '@maas/tensor';

/**
 * A KServe V2 request body as the inference routes receive it: JSON as its bytes (the model host
 * decodes it: JSON_BODY_AS_BYTES_ROUTE_CONFIG), or Triton's binary extension (or a body without
 * Content-Type) decoded here.
 */
export async function readInferenceBody(request: FastifyRequest, maxBytes: number): Promise<{ json: Buffer } | { decoded: InferenceRequest }> {
  const body = request.body;
  if (Buffer.isBuffer(body)) return { json: body };
  if (body instanceof Readable) {
    const header = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
    const headerLength = header === undefined ? undefined : Number(header);
    if (headerLength !== undefined && !Number.isSafeInteger(headerLength)) throw new InvalidTensorError(`Inference-Header-Content-Length must be an integer, got "${header}"`);
    // A compressed body arrives inflated (libs/service request-decompression), so the limit counts inflated bytes.
    return { decoded: decodeBinaryRequest(await readBody(body, maxBytes), headerLength) };
  }
  throw new InvalidTensorError('the request needs a JSON body (Content-Type: application/json) or a binary one (application/octet-stream)');
}

/** JSON, unless the client asked for some output in binary; then the binary extension's layout. */
export function sendInferenceResponse(reply: FastifyReply, request: InferenceRequest, response: InferenceResponse): FastifyReply {
  const binary = response.outputs.some((output) => wantsBinaryOutput(request, output.name));
  if (!binary) return sendEncodedResponse(reply, { binary: false, body: encodeJsonResponse(response) });
  const encoded = encodeBinaryResponse(response, (name) => wantsBinaryOutput(request, name));
  return sendEncodedResponse(reply, { binary: true, body: Buffer.concat(encoded.chunks, encoded.byteLength), headerLength: encoded.headerLength });
}

/** A response encoded already (by a model host, or above). */
export function sendEncodedResponse(reply: FastifyReply, response: EncodedResponse): FastifyReply {
  if (!response.binary) return reply.header('Content-Type', 'application/json').send(response.body);
  return reply
    .header('Content-Type', 'application/octet-stream')
    .header('Inference-Header-Content-Length', String(response.headerLength))
    .send(Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength));
}

async function readBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of stream) {
    total += (part as Buffer).byteLength;
    if (total > maxBytes) throw new PayloadTooLargeException(`The request body exceeds ${maxBytes} bytes (MAAS_MAX_REQUEST_BYTES)`);
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts, total);
}
