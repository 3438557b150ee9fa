import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';

export interface WorkerSetup {
  format: ModelFormat;
  device: Device;
  threads: number;
}

/** Sent once the model's bytes are ready: the worker has been loading its runtime meanwhile. */
export interface LoadModel {
  type: 'load';
  bytes: Uint8Array;
}

export type WorkerReady = { type: 'ready'; signature: ModelSignature; runtimeInfo: Record<string, unknown> } | { type: 'failed'; message: string };

export interface RunRequest {
  id: number;
  inputs: Tensor[];
  outputs?: string[];
}

export type RunReply = { id: number; ok: true; outputs: Tensor[]; computeNs: number } | { id: number; ok: false; message: string };
