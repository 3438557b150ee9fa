import { parentPort, workerData } from 'node:worker_threads';
import { fromOrtTensor, ModelSignature, Tensor, toOrtTensor } from '@maas/tensor';
import { createOnnxSession } from '../onnx/onnx-session';
import { onnxSignature } from '../onnx/onnx-signature';
import { importLazily } from '../lazy-module';
import { answerJsonRequests } from './json-requests';
import { unpackBodies } from './packed-bodies';
import { lowerCallingThreadPriority } from './thread-priority';
import type { HostReply, HostRequest, ModelHostData, RunRequest, RunResult, SessionSetup } from './worker-protocol';

interface LoadedSession {
  signature: ModelSignature;
  run(inputs: Tensor[], outputs?: string[]): Promise<Tensor[]>;
  release(): Promise<void> | void;
}

/**
 * A worker thread that hosts the sessions of many models (Triton's idea: one process, shared
 * threads, many models). Inference computes here, never on the HTTP event loop (onnxruntime-node's
 * `run` works synchronously on its calling thread). A session costs a fraction of a megabyte; a
 * thread per model cost ~13 MB. Tensors arrive and leave as transferable buffers.
 */
const sessions = new Map<number, LoadedSession>();
lowerCallingThreadPriority((workerData as ModelHostData).nice);
const arriving = new Map<number, { setup: SessionSetup; bytes: Buffer; filled: number; failure?: string }>();

function reply(message: HostReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', (message: HostRequest) => {
  switch (message.type) {
    case 'begin':
      arriving.set(message.session, { setup: message.setup, bytes: Buffer.allocUnsafe(message.sizeBytes), filled: 0 });
      return;
    case 'piece':
      return receivePiece(message.session, message.bytes);
    case 'end':
      return void finishLoad(message.session);
    case 'runs':
      return void runAll(message.runs);
    case 'unload':
      return void unload(message.session);
  }
});

function receivePiece(session: number, bytes: Uint8Array): void {
  const model = arriving.get(session);
  if (!model || model.failure) return;
  if (model.filled + bytes.byteLength > model.bytes.byteLength) {
    model.failure = `the model has more than the ${model.bytes.byteLength} bytes announced`;
    return;
  }
  model.bytes.set(bytes, model.filled);
  model.filled += bytes.byteLength;
}

async function finishLoad(session: number): Promise<void> {
  const model = arriving.get(session)!;
  arriving.delete(session);
  if (!model.failure && model.filled !== model.bytes.byteLength) model.failure = `the model has ${model.filled} of the ${model.bytes.byteLength} bytes announced`;
  if (model.failure) return reply({ type: 'load-failed', session, message: model.failure });
  try {
    const { loaded, runtimeInfo } = await (model.setup.format === 'onnx' ? loadOnnx(model.bytes, model.setup) : loadTfjs(model.bytes));
    sessions.set(session, loaded);
    reply({ type: 'loaded', session, signature: loaded.signature, runtimeInfo });
  } catch (error) {
    reply({ type: 'load-failed', session, message: (error as Error).message });
  }
}

/** Runs one after another (they compute on this thread anyway) and answers them in one message. */
async function runAll(runs: RunRequest[]): Promise<void> {
  const results: RunResult[] = [];
  const transfer = new Set<ArrayBuffer>();
  for (const run of runs) {
    const loaded = sessions.get(run.session);
    if (!loaded) {
      results.push({ id: run.id, ok: false, message: 'the model is not loaded in this worker' });
      continue;
    }
    const execute = timed(loaded);
    if (run.kind === 'json') {
      const { answers, executions } = await answerJsonRequests(unpackBodies(run), loaded.signature, run.maxBatchSize, execute);
      results.push({ id: run.id, ok: true, answers, executions });
      for (const answer of answers) if (answer.ok && answer.response.binary) transfer.add(answer.response.body.buffer as ArrayBuffer);
      continue;
    }
    try {
      const { outputs, computeNs } = await execute(run.inputs, run.outputs);
      results.push({ id: run.id, ok: true, outputs, computeNs });
      for (const buffer of transferables(outputs)) transfer.add(buffer);
    } catch (error) {
      results.push({ id: run.id, ok: false, message: (error as Error).message.split('\n')[0] });
    }
  }
  reply({ type: 'results', results }, [...transfer]);
}

/** The session's run, timed. */
function timed(loaded: LoadedSession) {
  return async (inputs: Tensor[], outputs?: string[]) => {
    const started = process.hrtime.bigint();
    const produced = await loaded.run(inputs, outputs);
    return { outputs: produced, computeNs: Number(process.hrtime.bigint() - started) };
  };
}

async function unload(session: number): Promise<void> {
  const loaded = sessions.get(session);
  sessions.delete(session);
  await loaded?.release();
}

async function loadOnnx(bytes: Uint8Array, setup: SessionSetup) {
  const { session, provider, cudaUnavailable } = await createOnnxSession(bytes, setup.device, { intraOpNumThreads: setup.threads, interOpNumThreads: 1 });
  const loaded: LoadedSession = {
    signature: onnxSignature(session),
    run: async (inputs, outputs) => {
      const feeds = Object.fromEntries(inputs.map((input) => [input.name, toOrtTensor(input)]));
      const results = outputs ? await session.run(feeds, outputs) : await session.run(feeds);
      return Object.entries(results).map(([name, value]) => fromOrtTensor(name, value));
    },
    release: () => session.release(),
  };
  return { loaded, runtimeInfo: cudaUnavailable ? { provider, cudaUnavailable } : { provider } };
}

/** TensorFlow.js is loaded only by hosts that serve a TF.js model (layers or graph). */
async function loadTfjs(bytes: Uint8Array) {
  const { loadTfjsModel } = await importLazily<typeof import('../tfjs/tfjs-model.js')>(() => import('../tfjs/tfjs-model.js'), 'loadTfjsModel');
  const { tfjsBackend } = await importLazily<typeof import('../tfjs/tfjs-backend.js')>(() => import('../tfjs/tfjs-backend.js'), 'tfjsBackend');
  const model = await loadTfjsModel(bytes);
  const loaded: LoadedSession = { signature: model.signature, run: (inputs, outputs) => model.run(inputs, outputs), release: () => model.dispose() };
  return { loaded, runtimeInfo: { backend: await tfjsBackend(), format: model.format } };
}

function transferables(tensors: Tensor[]): ArrayBuffer[] {
  // Distinct buffers only: a buffer listed twice in one transfer list is an error.
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of tensors) if (!Array.isArray(tensor.data) && tensor.data.buffer instanceof ArrayBuffer) buffers.add(tensor.data.buffer);
  return [...buffers];
}
