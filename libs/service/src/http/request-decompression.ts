import { Readable, Transform } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies sent with `Content-Encoding: gzip` or `deflate` are inflated before any parser or
 * route reads them, whatever their Content-Type (Triton's and KServe's clients compress on request),
 * so every size limit applies to the inflated bytes: a compression bomb stops at the limit.
 */
export function inflateRequestBodies(fastify: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and most bodies are not compressed.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity') return done(null, payload);
    if (encoding !== 'gzip' && encoding !== 'deflate') {
      return done(new UnsupportedMediaTypeException(`Content-Encoding "${request.headers['content-encoding']}" is not supported: send gzip, deflate or an uncompressed body`));
    }
    done(null, inflating(payload, encoding === 'gzip' ? createGunzip() : createInflate(), request.routeOptions.bodyLimit ?? Infinity));
  });
}

/**
 * payload → zlib → a limiter. Past `limitBytes` of inflated output the limiter stops passing bytes
 * on, reads the rest of the compressed body into the void and only then fails with 413: a server
 * that answers before the body is read must close the socket, which the client, still sending,
 * sees as a reset instead of the answer.
 */
function inflating(payload: Readable, decoder: Gunzip | Inflate, limitBytes: number): Readable {
  let inflatedBytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflatedBytes += chunk.length;
      if (inflatedBytes <= limitBytes) return done(null, chunk);
      if (inflatedBytes - chunk.length <= limitBytes) discardRest(payload, decoder, () => limiter.destroy(withStatus(new PayloadTooLargeException(`The request body inflates to more than ${limitBytes} bytes, the limit for this route`))));
      done();
    },
  }) as Transform & { receivedEncodedLength: number };
  // Fastify compares Content-Length with the bytes received on the wire, not the inflated ones.
  limiter.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => (limiter.receivedEncodedLength += chunk.length));
  payload.on('error', (error) => limiter.destroy(error));
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) mean the client's compressed body is broken: a 400.
  decoder.on('error', (error: Error & { code?: string }) => limiter.destroy(error.code?.startsWith('Z_') ? withStatus(new BadRequestException(`The body does not decompress as its Content-Encoding says: ${error.message}`)) : error));
  return payload.pipe(decoder).pipe(limiter);
}

/**
 * Fastify's body parsers answer a failed stream with its `statusCode` (else 400); a route reading the
 * stream itself gets the Nest exception. Both then show the same status and message.
 */
function withStatus(error: HttpException): HttpException {
  return Object.assign(error, { statusCode: error.getStatus() });
}

function discardRest(payload: Readable, decoder: Gunzip | Inflate, then: () => void): void {
  payload.unpipe(decoder);
  decoder.destroy();
  payload.on('end', then);
  payload.resume();
}
