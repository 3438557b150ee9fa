import { Agent, request as httpRequest } from 'node:http';
import type { TestApp } from './test-app';

/** What the account and upload helpers need of an app: in-process (`inject`) or over a socket. */
export type Requester = Pick<TestApp, 'request'>;
export type RequestOptions = Parameters<TestApp['request']>[0];
export type Response = Awaited<ReturnType<TestApp['request']>>;

/**
 * The same `request` as a TestApp's, sent over real HTTP to a running process (keep-alive, as a
 * client library would), so the helpers work against `startPlatformProcess` too.
 */
export function httpRequester(baseUrl: string, agent = new Agent({ keepAlive: true, maxSockets: 64 })): Requester & { agent: Agent } {
  return { agent, request: (options) => send(baseUrl, agent, options) };
}

function send(baseUrl: string, agent: Agent, options: RequestOptions): Promise<Response> {
  const { body, contentType } = encodeBody(options.payload);
  const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...options.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(new URL(options.url, baseUrl), { method: options.method ?? 'GET', headers, agent }, (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const rawPayload = Buffer.concat(chunks);
        const text = rawPayload.toString('utf8');
        resolve({ statusCode: incoming.statusCode ?? 0, headers: incoming.headers, body: text, rawPayload, json: () => JSON.parse(text) });
      });
    });
    // A server may answer (413, 400) and close before it has read the whole body: the answer counts.
    outgoing.on('error', (error) => answered || reject(error));
    outgoing.end(body);
  });
}

function encodeBody(payload: unknown): { body?: Buffer; contentType?: string } {
  if (payload === undefined) return {};
  if (Buffer.isBuffer(payload)) return { body: payload };
  if (typeof payload === 'string') return { body: Buffer.from(payload) };
  return { body: Buffer.from(JSON.stringify(payload)), contentType: 'application/json' };
}
