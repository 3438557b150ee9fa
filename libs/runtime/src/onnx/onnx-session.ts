import * as ort from 'onnxruntime-node';
import { InvalidModelError } from '../runtime-errors';

export type Device = 'auto' | 'cpu' | 'cuda';

export interface OnnxSession {
  session: ort.InferenceSession;
  /** The execution provider that serves the model. */
  provider: 'cuda' | 'cpu';
  /** Why CUDA was not used when `auto` asked for it (the caller logs it once). */
  cudaUnavailable?: string;
}

// ORT prints coloured errors to stderr for every bad model; the platform reports them itself.
ort.env.logLevel = 'fatal';

/**
 * An ONNX Runtime session from the model bytes (the decrypted model never touches disk).
 * onnxruntime-node does not fall back from CUDA by itself — `create` throws when the provider is
 * missing — so `auto` tries CUDA and retries on CPU, and says why. (No Nest import here: this runs
 * in worker threads, where loading Nest would add ~100 ms to every model load.)
 */
export async function createOnnxSession(bytes: Uint8Array, device: Device, options: ort.InferenceSession.SessionOptions = {}): Promise<OnnxSession> {
  let cudaUnavailable: string | undefined;
  if (device !== 'cpu') {
    try {
      return { session: await ort.InferenceSession.create(bytes, { ...options, executionProviders: ['cuda'] }), provider: 'cuda' };
    } catch (error) {
      if (device === 'cuda' || isModelError(error)) throw toModelError(error);
      cudaUnavailable = firstLine(error);
    }
  }
  try {
    return { session: await ort.InferenceSession.create(bytes, { ...options, executionProviders: ['cpu'] }), provider: 'cpu', cudaUnavailable };
  } catch (error) {
    throw toModelError(error);
  }
}

function isModelError(error: unknown): boolean {
  return /protobuf parsing failed|Load model|INVALID_GRAPH|INVALID_PROTOBUF|failed to load model/i.test(String((error as Error)?.message));
}

function toModelError(error: unknown): InvalidModelError {
  return new InvalidModelError(`ONNX Runtime could not load the model: ${firstLine(error)}`);
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0].slice(0, 300);
}
