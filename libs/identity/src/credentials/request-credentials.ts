import { looksLikeApiKey } from './api-key-format';

type Headers = Record<string, string | string[] | undefined>;

/** Which credential a request carries: an API key (either header) or a console session token. */
export function credentialOf(headers: Headers): { kind: 'api-key' | 'session'; value: string } | undefined {
  const apiKeyHeader = headers['x-api-key'];
  if (typeof apiKeyHeader === 'string' && apiKeyHeader.trim()) return { kind: 'api-key', value: apiKeyHeader.trim() };
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  return { kind: looksLikeApiKey(match[1]) ? 'api-key' : 'session', value: match[1] };
}
