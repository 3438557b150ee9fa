import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { bearer } from './accounts';
import type { Requester } from './http-client';

/** A multipart/form-data body as a browser or curl -F would send it; file parts are named "files" unless a third element names them. */
export function multipartBody(files: Array<[string, Uint8Array] | [string, Uint8Array, string]>, fields: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = `----maas${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [filename, data, field = 'files'] of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(data), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function createModel(app: Requester, key: string, name: string, extra: Record<string, unknown> = {}) {
  const response = await app.request({ method: 'POST', url: '/v1/models', headers: bearer(key), payload: { name, ...extra } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export function uploadOnnx(app: Requester, key: string, model: string, bytes: Buffer) {
  return app.request({ method: 'POST', url: `/v1/models/${model}/versions`, headers: { ...bearer(key), 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' }, payload: bytes });
}
