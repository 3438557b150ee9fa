import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';

export interface WorkerSetup {
  format: ModelFormat;
  bytes: Uint8Array;
  device: Device;
  threads: number;
}

export type WorkerReady = { type: 'ready'; signature: ModelSignature; runtimeInfo: Record<string, unknown> } | { type: 'failed'; message: string };

export interface RunRequest {
  id: number;
  inputs: Tensor[];
  outputs?: string[];
}

export type RunReply = { id: number; ok: true; outputs: Tensor[]; computeNs: number } | { id: number; ok: false; message: string };
