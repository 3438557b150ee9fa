import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An API error as the person can act on it: the server's message, its code and the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Reads the platform's error shapes: `{"error": {"code", "message"}}`, or KServe's `{"error": "…"}`. */
export function apiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return new ApiError(error, status);
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: string; message?: string };
    return new ApiError(message ?? `The request failed (${status})`, status, code);
  }
  return new ApiError(status === 0 ? 'The platform did not answer: check that it is running' : `The request failed (${status})`, status);
}

let sessionToken: string | undefined;

/** The console session lives in memory only (see session.tsx): every request carries it. */
export function setSessionToken(token: string | undefined): void {
  sessionToken = token;
}

let onSessionEnded: (() => void) | undefined;

/** Called when the server refuses the session (it expired, or the user logged out elsewhere). */
export function whenSessionEnds(handler: (() => void) | undefined): void {
  onSessionEnded = handler;
}

const authorization: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(sessionHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && sessionToken) onSessionEnded?.();
    return response;
  },
};

/** The typed client: paths, parameters and bodies come from the platform's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(authorization);

/** The data of an openapi-fetch answer, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw apiError(result.response.status, result.error);
  return result.data as T;
}

/** The session's Authorization header, for the calls made without the typed client (streams, uploads, downloads). */
export function sessionHeaders(): Record<string, string> {
  return sessionToken ? { authorization: `Bearer ${sessionToken}` } : {};
}
