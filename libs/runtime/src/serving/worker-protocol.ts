import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';

export interface SessionSetup {
  format: ModelFormat;
  device: Device;
  /** ONNX Runtime's intra-op threads for this session (1: it computes on the host's own thread). */
  threads: number;
}

/** A model's bytes as they are decrypted: its size first, then its pieces in order. */
export interface ModelBytes {
  sizeBytes: number;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Main thread → host. A model reaches a host in pieces while it is decrypted: the host allocates
 * the whole once (`begin`), copies each piece in (`piece`), and creates the session at `end`;
 * copying and first-touching that memory happen on the host's thread, beside the decryption.
 */
export type HostRequest =
  | { type: 'begin'; session: number; sizeBytes: number; setup: SessionSetup }
  | { type: 'piece'; session: number; bytes: Uint8Array }
  | { type: 'end'; session: number }
  | { type: 'runs'; runs: RunRequest[] }
  | { type: 'unload'; session: number };

/** Runs reach a host together: those asked for within one turn of the main thread's event loop travel as one message. */
export interface RunRequest {
  id: number;
  session: number;
  inputs: Tensor[];
  outputs?: string[];
}

export type RunResult = { id: number; ok: true; outputs: Tensor[]; computeNs: number } | { id: number; ok: false; message: string };

/** Host → main thread. */
export type HostReply =
  | { type: 'loaded'; session: number; signature: ModelSignature; runtimeInfo: Record<string, unknown> }
  | { type: 'load-failed'; session: number; message: string }
  | { type: 'results'; results: RunResult[] };
