import { Readable } from 'node:stream';
import { PayloadTooLargeException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeBinaryRequest, decodeJsonRequest, encodeBinaryResponse, encodeJsonResponse, INFERENCE_HEADER_CONTENT_LENGTH, InferenceRequest, InferenceResponse, InvalidTensorError, wantsBinaryOutput } from '@maas/tensor';

/** Decodes a KServe V2 request: JSON, or Triton's binary extension when the body is raw bytes. */
export async function readInferenceRequest(request: FastifyRequest, maxBytes: number): Promise<InferenceRequest> {
  const body = request.body;
  if (body instanceof Readable) {
    const header = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
    const headerLength = header === undefined ? undefined : Number(header);
    if (headerLength !== undefined && !Number.isSafeInteger(headerLength)) throw new InvalidTensorError(`Inference-Header-Content-Length must be an integer, got "${header}"`);
    // A compressed body arrives inflated (libs/service request-decompression), so the limit counts inflated bytes.
    return decodeBinaryRequest(await readBody(body, maxBytes), headerLength);
  }
  if (body === undefined || body === null) throw new InvalidTensorError('the request needs a JSON body (Content-Type: application/json) or a binary one (application/octet-stream)');
  return decodeJsonRequest(body);
}

/** JSON, unless the client asked for some output in binary; then the binary extension's layout. */
export function sendInferenceResponse(reply: FastifyReply, request: InferenceRequest, response: InferenceResponse): FastifyReply {
  const binary = response.outputs.some((output) => wantsBinaryOutput(request, output.name));
  if (!binary) return reply.header('Content-Type', 'application/json').send(encodeJsonResponse(response));
  const encoded = encodeBinaryResponse(response, (name) => wantsBinaryOutput(request, name));
  return reply
    .header('Content-Type', 'application/octet-stream')
    .header('Inference-Header-Content-Length', String(encoded.headerLength))
    .send(Buffer.concat(encoded.chunks, encoded.byteLength));
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
