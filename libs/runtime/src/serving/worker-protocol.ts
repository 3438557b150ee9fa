import type { ErrorKind } from '@maas/errors';
import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelFormat } from '../model-format';
import type { Device } from '../onnx/onnx-session';

export interface SessionSetup {
  format: ModelFormat;
  device: Device;
  /** ONNX Runtime's intra-op threads for this session (1: it computes on the host's own thread). */
  threads: number;
}

/** What a host thread is started with. */
export interface ModelHostData {
  /** Its nice value (0: the process's priority); see ModelHostsOptions.hostNice. */
  nice: number;
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

/**
 * Runs reach a host together: those asked for within one turn of the main thread's event loop travel
 * as one message. A run holds decoded tensors, or KServe V2 JSON request bodies as they arrived
 * (the host decodes, checks, batches and encodes them: see json-requests.ts).
 */
export type RunRequest = TensorRun | JsonRun;

export interface TensorRun {
  kind: 'tensors';
  id: number;
  session: number;
  inputs: Tensor[];
  outputs?: string[];
}

export interface JsonRun {
  kind: 'json';
  id: number;
  session: number;
  /** The request bodies one after another, in a buffer of their own that the message transfers (packed-bodies.ts). */
  bodies: Uint8Array;
  bodyLengths: number[];
  /** The names every answer of the run carries (requests batch together only when theirs are the same). */
  modelName: string;
  modelVersion: string;
  /** Most rows in one execution (the model's batching setting); 0 or 1: one execution per request. */
  maxBatchSize: number;
}

/** One KServe V2 JSON request body, and the names its answer carries. */
export interface JsonRequest {
  body: Uint8Array;
  modelName: string;
  modelVersion: string;
}

/** The answer to one JSON request: its encoded response, or why it failed (a DomainError's fields, or the runtime's message). */
export type JsonAnswer =
  | { ok: true; response: EncodedResponse; rows: number; bytesIn: number; bytesOut: number }
  | { ok: false; rows: number; bytesIn: number; error: { kind?: ErrorKind; code?: string; message: string } };

/** A response ready to send: KServe V2 JSON text, or the binary extension's bytes. */
export type EncodedResponse = { binary: false; body: string } | { binary: true; body: Uint8Array; headerLength: number };

/** One execution of the session: the rows it ran and how long it took. */
export interface Execution {
  rows: number;
  computeNs: number;
}

export type RunResult =
  | { id: number; ok: true; outputs: Tensor[]; computeNs: number }
  | { id: number; ok: true; answers: JsonAnswer[]; executions: Execution[] }
  | { id: number; ok: false; message: string };

/** Host → main thread. */
export type HostReply =
  | { type: 'loaded'; session: number; signature: ModelSignature; runtimeInfo: Record<string, unknown> }
  | { type: 'load-failed'; session: number; message: string }
  | { type: 'results'; results: RunResult[] };
