import { looksLikeApiKey } from './api-key-format';

type Headers = Record<string, string | string[] | undefined>;

/** Which credential a request carries: an API key (either header) or a console session token. */
export function credentialOf(headers: Headers): { kind: 'api-key' | 'session'; value: string } | undefined {
  const apiKeyHeader = headers['x-api-key'];
  if (typeof apiKeyHeader === 'string' && apiKeyHeader.trim()) return { kind: 'api-key', value: apiKeyHeader.trim() };
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || !/^bearer /i.test(authorization.slice(0, 7))) return undefined;
  const value = authorization.slice(7).trim();
  if (!value || /\s/.test(value)) return undefined;
  return { kind: looksLikeApiKey(value) ? 'api-key' : 'session', value };
}
