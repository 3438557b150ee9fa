import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';

export interface WorkerSetup {
  format: ModelFormat;
  device: Device;
  threads: number;
}

/** A model's bytes as they are decrypted: its size first, then its pieces in order. */
export interface ModelBytes {
  sizeBytes: number;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * The model reaches a worker in pieces while it is decrypted: the worker allocates the whole once
 * (`begin`), copies each piece in (`piece`), and loads the runtime's session at `end`. Copying and
 * first-touching that memory then happen on the worker's thread, beside the decryption.
 */
export type LoadMessage = { type: 'begin'; sizeBytes: number } | { type: 'piece'; bytes: Uint8Array } | { type: 'end' };

export type WorkerReady = { type: 'ready'; signature: ModelSignature; runtimeInfo: Record<string, unknown> } | { type: 'failed'; message: string };

export interface RunRequest {
  id: number;
  inputs: Tensor[];
  outputs?: string[];
}

export type RunReply = { id: number; ok: true; outputs: Tensor[]; computeNs: number } | { id: number; ok: false; message: string };
