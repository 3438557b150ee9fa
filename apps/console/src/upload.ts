import { apiError, sessionHeaders } from './api/client';

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds: number;
}

/**
 * POSTs a file as the raw body (or a multipart form: the browser sets its boundary) with XMLHttpRequest — fetch reports no upload progress — calling
 * `onProgress` with bytes sent, rate and time left. Resolves with the JSON answer; rejects with an
 * ApiError carrying the server's message.
 */
export function uploadFile<T>(path: string, file: Blob | FormData, headers: Record<string, string>, onProgress: (progress: UploadProgress) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const started = performance.now();
    request.open('POST', path);
    for (const [name, value] of Object.entries({ ...sessionHeaders(), ...headers })) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      const seconds = (performance.now() - started) / 1000;
      const bytesPerSecond = seconds > 0 ? event.loaded / seconds : 0;
      onProgress({ sentBytes: event.loaded, totalBytes: event.total, bytesPerSecond, etaSeconds: bytesPerSecond > 0 ? (event.total - event.loaded) / bytesPerSecond : Infinity });
    };
    request.onload = () => {
      const body = request.responseText ? safeJson(request.responseText) : undefined;
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else reject(apiError(request.status, body));
    };
    request.onerror = () => reject(apiError(0, undefined));
    // The bar shows from the start, not from the browser's first progress event (none comes for a
    // small file until it has all gone up).
    onProgress({ sentBytes: 0, totalBytes: file instanceof Blob ? file.size : 0, bytesPerSecond: 0, etaSeconds: Infinity });
    request.send(file);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text } };
  }
}
