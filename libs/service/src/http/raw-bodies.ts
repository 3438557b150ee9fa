import type { FastifyInstance } from 'fastify';

/** Body types handed to routes as the request stream, unparsed: model uploads, binary inference. */
export const RAW_BODY_TYPES = ['application/octet-stream', 'application/zip', 'application/x-tar'];

/** Dataset files, also handed over as the stream (validated while they are stored). */
export const DATASET_BODY_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl'];

export function acceptRawBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser([...RAW_BODY_TYPES, ...DATASET_BODY_TYPES], (_request, payload, done) => done(null, payload));
}
